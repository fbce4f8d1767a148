namespace CustomerInfo.Web.Validation;

/// <summary>
/// On a page handler: the bound property whose form shows this handler's validation errors, for pages
/// with more than one form (<see cref="ValidationFailurePageFilter"/>). An empty name: no prefix.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ValidationErrorsForAttribute(string property) : Attribute
{
    public string Property { get; } = property;
}
