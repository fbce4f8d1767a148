using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Contacts;
using CustomerInfo.Application.SignUps;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Stores;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Shoppers.ExportShopper;

/// <summary>
/// "What do you have on me?": everything the current store holds about one shopper, for a readable
/// JSON file: the contact as it is now, every sign-up with the answers worded as the shopper saw
/// them (the form version they filled in), and every consent proof. Any of the shopper's contacts,
/// merged ones included, gives the whole shopper. Null when the store has no such contact.
/// </summary>
[RequiresRole(TeamRole.Manager)]
public sealed record ExportShopperQuery(Guid ContactId) : IQuery<ShopperExport?>;

public sealed record ShopperExport(string Store, DateTimeOffset ExportedAt, ExportedContact Contact, IReadOnlyList<ExportedSignUp> SignUps, IReadOnlyList<ConsentProof> ConsentProofs);

/// <summary>The shopper as the store knows them now; <see cref="ErasedAt"/> is set once they were erased.</summary>
public sealed record ExportedContact(
    Guid Id,
    Shopper Details,
    ConsentProof? EmailConsent,
    ConsentProof? SmsConsent,
    DateTimeOffset FirstSignedUpAt,
    DateTimeOffset LastSignedUpAt,
    IReadOnlyList<Guid> MergedContactIds,
    DateTimeOffset? ErasedAt);

/// <summary>One sign-up: when (the device's time and the time it arrived), where, in which language, and what was given.</summary>
public sealed record ExportedSignUp(
    Guid Id,
    DateTimeOffset FilledAt,
    DateTimeOffset ReceivedAt,
    string? Location,
    string Language,
    int FormVersion,
    Shopper Details,
    IReadOnlyList<ExportedAnswer> Answers,
    ConsentProof? EmailConsent,
    ConsentProof? SmsConsent);

/// <summary>A question and the answer, in the words of the form the shopper filled in.</summary>
public sealed record ExportedAnswer(string Question, IReadOnlyList<string> Answer);

public sealed class ExportShopperHandler(IQuerySession session, ITenantContext tenant, FormDefinitions definitions, IClock clock)
    : IQueryHandler<ExportShopperQuery, ShopperExport?>
{
    public async ValueTask<ShopperExport?> Handle(ExportShopperQuery query, CancellationToken cancellationToken)
    {
        var contact = await session.LoadCurrentAsync(query.ContactId, cancellationToken);

        if (contact is null)
        {
            return null;
        }

        var ids = contact.SignUpIds.ToArray();
        var submitted = await session.Events.QueryRawEventDataOnly<SignUpSubmitted>()
            .Where(s => ids.Contains(s.SignUpId))
            .ToListAsync(cancellationToken);

        var storeIds = submitted.Select(s => s.StoreId).OfType<Guid>().Distinct().ToArray();
        var stores = storeIds.Length == 0
            ? new Dictionary<Guid, string>()
            : (await session.LoadManyAsync<RetailStore>(cancellationToken, storeIds)).ToDictionary(s => s.Id, s => s.Name);
        var signUps = new List<ExportedSignUp>();
        foreach (var signUp in submitted.OrderBy(s => s.ReceivedAt))
        {
            var form = await definitions.VersionAsync(tenant.RequiredTenant, signUp.FormVersion, cancellationToken);
            signUps.Add(new ExportedSignUp(
                signUp.SignUpId,
                signUp.FilledAt,
                signUp.ReceivedAt,
                // The store of a kiosk link; before stores, the form's location.
                signUp.StoreId is { } storeId && stores.TryGetValue(storeId, out var store) ? store : form.FindLocation(signUp.Location)?.Name ?? signUp.Location,
                signUp.Language,
                signUp.FormVersion,
                signUp.Shopper,
                signUp.Answers.Select(answer => AnswerWording.Worded(answer, form, signUp.Language)).ToList(),
                signUp.EmailConsent,
                signUp.SmsConsent));
        }

        return new ShopperExport(
            tenant.RequiredTenant.Name,
            clock.UtcNow,
            new ExportedContact(contact.Id, contact.Shopper, contact.EmailConsent, contact.SmsConsent, contact.FirstSignedUpAt, contact.LastSignedUpAt, contact.AbsorbedContactIds, contact.ErasedAt),
            signUps,
            contact.ConsentProofs);
    }
}
