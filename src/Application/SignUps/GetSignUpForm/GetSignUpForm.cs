using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Tenants;
using Mediator;

namespace CustomerInfo.Application.SignUps.GetSignUpForm;

/// <summary>The store's form as a shopper should see it now, in <see cref="Language"/> if the store offers it.</summary>
[Anyone]
public sealed record GetSignUpFormQuery(string? Language, string? Location) : IQuery<SignUpForm>;

/// <summary>
/// Everything the form page renders. <see cref="SubmissionId"/> is new for every view: it makes a submission idempotent.
/// <see cref="StaffPin"/> is the store's PIN hash, which the tablet checks offline; null when the store has none.
/// </summary>
public sealed record SignUpForm(string StoreName, FormDefinition Definition, string Language, StoreLocation? Location, Guid SubmissionId, StaffPin? StaffPin = null);

public sealed class GetSignUpFormHandler(ITenantContext tenant, FormDefinitions definitions, IStaffPins pins) : IQueryHandler<GetSignUpFormQuery, SignUpForm>
{
    public static readonly IReadOnlyList<string> Languages = ["en", "nl"];

    public async ValueTask<SignUpForm> Handle(GetSignUpFormQuery query, CancellationToken cancellationToken)
    {
        var store = tenant.RequiredTenant;
        var definition = await definitions.CurrentAsync(store, cancellationToken);
        var pin = await pins.FindAsync(store.Id, cancellationToken);
        return new SignUpForm(store.Name, definition, LanguageOrDefault(query.Language, definition), definition.FindLocation(query.Location), Guid.NewGuid(), pin);
    }

    public static string LanguageOrDefault(string? language, FormDefinition definition) =>
        language is not null && Languages.Contains(language) ? language : definition.DefaultLanguage;
}
