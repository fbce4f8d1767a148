using System.Reflection;
using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.FunctionalTests.Isolation;

/// <summary>
/// Makes any request of the Application from its constructor: ids by parameter name are the victim's
/// (<paramref name="victim"/>), a tenant id is the acting tenant's, everything else a plain value.
/// </summary>
public static class RequestBuilder
{
    public static object Build(Type type, TenantIds victim, TenantIds actor) => Make(type, null, victim, actor, depth: 0)
        ?? throw new InvalidOperationException($"Cannot make a {type.Name}: give its line in IsolationCoverage.Requests a Build.");

    /// <summary>The tenant id kinds a parameter name stands for; a Guid parameter of a tenant request not named here fails the inventory test.</summary>
    public static IdKind? KindOf(string name) => name.ToUpperInvariant() switch
    {
        "STOREID" => IdKind.Store,
        "LINKID" => IdKind.KioskLink,
        "SIGNUPID" or "SIGNUPIDS" or "SIGNUPIDSTOPUSH" or "WITHDRAWALSIGNUPIDS" => IdKind.SignUp,
        "CONTACTID" => IdKind.Contact,
        "IMPORTID" => IdKind.Import,
        "MEMBERID" => IdKind.Member,
        "INVITATIONID" => IdKind.Invitation,
        "KIOSKTOKEN" => IdKind.KioskToken,
        "FINGERPRINT" => IdKind.Logo,
        _ => null,
    };

    /// <summary>Guid parameters that are not a tenant's data: the acting tenant, fresh ids the caller makes up.</summary>
    public static bool IsNotTenantData(string name) => name is "TenantId" or "TenantIds" or "SubmissionId" or "ExportId" or "RequestId" or "MailId";

    private static object? Make(Type type, string? name, TenantIds victim, TenantIds actor, int depth)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (name is not null && KindOf(name) is { } kind && (t == typeof(Guid) || t == typeof(string)))
        {
            return t == typeof(Guid) ? Guid.Parse(victim.Of(kind)) : victim.Of(kind);
        }

        if (name is "TenantId" && t == typeof(Guid))
        {
            return actor.TenantId;
        }

        if (t == typeof(Guid[]) || t == typeof(IReadOnlyList<Guid>))
        {
            return name is not null && KindOf(name) is { } many ? new[] { Guid.Parse(victim.Of(many)) } : new[] { victim.TenantId };
        }

        if (t == typeof(string))
        {
            return name is "Language" ? "en" : name is "Token" ? victim.KioskToken : "x";
        }

        if (t == typeof(Guid))
        {
            return Guid.NewGuid();
        }

        if (t.IsEnum)
        {
            return Enum.GetValues(t).GetValue(0);
        }

        if (t == typeof(int) || t == typeof(long))
        {
            return Convert.ChangeType(1, t, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (t == typeof(bool))
        {
            return false;
        }

        if (t == typeof(DateTimeOffset))
        {
            return DateTimeOffset.UtcNow;
        }

        if (t == typeof(byte[]))
        {
            return Array.Empty<byte>();
        }

        if (t == typeof(Stream))
        {
            return new MemoryStream();
        }

        if (t == typeof(FormDefinition))
        {
            return FormDefinition.StarterFor(actor.Identifier);
        }

        if (t.IsGenericType && t.GetGenericTypeDefinition() is var open && (open == typeof(IReadOnlyList<>) || open == typeof(IEnumerable<>)))
        {
            return Array.CreateInstance(t.GetGenericArguments()[0], 0);
        }

        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
        {
            return Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(t.GetGenericArguments()));
        }

        if (depth > 2 || t.IsAbstract || t.IsInterface || t.IsPrimitive)
        {
            return null;
        }

        var constructor = t.GetConstructors(BindingFlags.Public | BindingFlags.Instance).OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
        if (constructor is null)
        {
            return null;
        }

        var arguments = constructor.GetParameters()
            .Select(p => IsFilled(p) ? Make(p.ParameterType, p.Name, victim, actor, depth + 1) : p.DefaultValue)
            .ToArray();
        return constructor.Invoke(arguments);
    }

    /// <summary>Optional parameters keep their default unless they are an id (so a filter's store is the victim's).</summary>
    private static bool IsFilled(ParameterInfo parameter) =>
        !parameter.HasDefaultValue || (parameter.Name is { } n && (KindOf(n) is not null || n == "TenantId"));
}
