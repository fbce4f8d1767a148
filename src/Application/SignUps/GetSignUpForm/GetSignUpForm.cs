using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Stores;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Tenants;
using Mediator;

namespace CustomerInfo.Application.SignUps.GetSignUpForm;

/// <summary>
/// The store's form as a shopper should see it now, in <see cref="Language"/> if the store offers it,
/// at the place <see cref="KioskToken"/> names (the link the tablet was opened with; null: none).
/// </summary>
[Anyone]
public sealed record GetSignUpFormQuery(string? Language, string? KioskToken = null) : IQuery<SignUpForm>;

/// <summary>
/// Everything the form page renders. <see cref="SubmissionId"/> is new for every view: it makes a submission idempotent.
/// <see cref="StaffPin"/> is the store's PIN hash, which the tablet checks offline; null when the store has none.
/// <see cref="LinkState"/> says whether the tablet's kiosk link still takes sign-ups; <see cref="Place"/> is its store.
/// </summary>
public sealed record SignUpForm(string StoreName, FormDefinition Definition, string Language, Guid SubmissionId, StaffPin? StaffPin = null)
{
    public KioskLinkState LinkState { get; init; } = KioskLinkState.None;

    public KioskPlace? Place { get; init; }

    /// <summary>The token of a link that may take sign-ups, for the form to carry; null for none, or a refused one.</summary>
    public string? KioskToken { get; init; }

    public bool TakesSignUps => LinkState is KioskLinkState.None or KioskLinkState.Live;
}

public sealed class GetSignUpFormHandler(ITenantContext tenant, FormDefinitions definitions, IStaffPins pins, IKioskLinks links) : IQueryHandler<GetSignUpFormQuery, SignUpForm>
{
    public async ValueTask<SignUpForm> Handle(GetSignUpFormQuery query, CancellationToken cancellationToken)
    {
        var store = tenant.RequiredTenant;
        var definition = await definitions.CurrentAsync(store, cancellationToken);
        var (state, place) = await links.ResolveAsync(store.Id, query.KioskToken, cancellationToken);
        // The store's own PIN for a tablet at one of its links, else the retailer's.
        var pin = await pins.FindForStoreAsync(store.Id, place?.StoreId, cancellationToken);
        return new SignUpForm(store.Name, definition, FormLanguages.OrDefault(query.Language, definition), Guid.NewGuid(), pin)
        {
            LinkState = state,
            Place = place,
            KioskToken = state == KioskLinkState.Live ? query.KioskToken : null,
        };
    }
}
