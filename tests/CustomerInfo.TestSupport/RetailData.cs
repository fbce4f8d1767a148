using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Stores;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.TestSupport;

/// <summary>
/// Stores and sign-ups written straight through the event store's own append API (the inline
/// projections make the documents), for the tests of the pages that read them: any time, any store.
/// </summary>
public static class RetailData
{
    public static async Task<Guid> AddRetailStoreAsync(this AppFactory app, string tenant, string name, string timeZone = StoreTimeZones.Default, DateTimeOffset? addedAt = null)
    {
        var storeId = Guid.NewGuid();
        await using var session = await SessionAsync(app, tenant);
        session.Events.StartStream(storeId, new StoreAdded(storeId, name, timeZone, null, addedAt ?? DateTimeOffset.UtcNow));
        await session.SaveChangesAsync();
        return storeId;
    }

    public static async Task CloseRetailStoreAsync(this AppFactory app, string tenant, Guid storeId)
    {
        await using var session = await SessionAsync(app, tenant);
        session.Events.Append(storeId, new StoreClosed(storeId, DateTimeOffset.UtcNow));
        await session.SaveChangesAsync();
    }

    /// <summary>A sign-up received at <paramref name="receivedAt"/> (at <paramref name="storeId"/>, if given), not linked to a contact.</summary>
    public static async Task<Guid> AddSignUpAtAsync(this AppFactory app, string tenant, DateTimeOffset receivedAt, Guid? storeId = null, bool emailConsent = false, bool smsConsent = false, Shopper? shopper = null)
    {
        var signUpId = Guid.NewGuid();
        ConsentProof? Proof(ConsentChannel channel) => new(channel, $"Yes, {channel} me.", "v1", "en", receivedAt, null, receivedAt);
        await using var session = await SessionAsync(app, tenant);
        session.Events.StartStream(signUpId, new SignUpSubmitted(
            signUpId, 1, "en", null, receivedAt, receivedAt, shopper ?? new Shopper("Test", null, null, null, null, null), [],
            emailConsent ? Proof(ConsentChannel.Email) : null, smsConsent ? Proof(ConsentChannel.Sms) : null, storeId));
        await session.SaveChangesAsync();
        return signUpId;
    }

    private static async Task<IDocumentSession> SessionAsync(AppFactory app, string tenant)
    {
        await using var lookup = app.Services.CreateAsyncScope();
        var id = (await lookup.ServiceProvider.GetRequiredService<ITenantStore>().FindByIdentifierAsync(tenant, default)
            ?? throw new InvalidOperationException($"No store '{tenant}'.")).Id;
        return app.Services.GetRequiredService<IDocumentStore>().LightweightSession(id.ToString());
    }
}
