using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Contacts;
using CustomerInfo.Application.SignUps;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using FluentValidation;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Shoppers.FindShopper;

/// <summary>
/// The contact of the current store's shopper with this email or phone (written as a shopper would
/// type it: the phone in the store's country format or international), through the contact index.
/// A merged contact leads to the one that holds the shopper now. Null when the store knows neither.
/// </summary>
[RequiresRole(TeamRole.Manager)]
public sealed record FindShopperQuery(string? Email, string? Phone) : IQuery<Guid?>;

public sealed class FindShopperValidator : AbstractValidator<FindShopperQuery>
{
    public FindShopperValidator()
    {
        RuleFor(q => q).Must(q => !string.IsNullOrWhiteSpace(q.Email) || !string.IsNullOrWhiteSpace(q.Phone))
            .WithName("Email").WithMessage("Give the shopper's email address or phone number.");
        RuleFor(q => q.Email).MaximumLength(ShopperInput.EmailMaxLength);
        RuleFor(q => q.Phone).MaximumLength(ShopperInput.PhoneMaxLength);
    }
}

public sealed class FindShopperHandler(IQuerySession session, ITenantContext tenant, FormDefinitions definitions, ContactIndexKeys indexKeys)
    : IQueryHandler<FindShopperQuery, Guid?>
{
    public async ValueTask<Guid?> Handle(FindShopperQuery query, CancellationToken cancellationToken)
    {
        var store = tenant.RequiredTenant;
        var country = (await definitions.CurrentAsync(store, cancellationToken)).Country;
        var keys = new[] { ContactKey.ForEmail(ShopperInput.Email(query.Email)), ContactKey.ForPhone(ShopperInput.ToE164(query.Phone, country)) }
            .OfType<string>()
            .Select(key => indexKeys.IdOf(store.Id, key))
            .ToArray();
        if (keys.Length == 0)
        {
            return null;
        }

        var entries = await session.LoadManyAsync<ContactIndexEntry>(cancellationToken, keys);
        var entry = entries.Count > 0 ? entries[0] : null;
        return entry?.ContactId;
    }
}
