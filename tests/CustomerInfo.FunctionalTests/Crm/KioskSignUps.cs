using System.Net;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.FunctionalTests.SignUps;
using CustomerInfo.TestSupport;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.FunctionalTests.Crm;

/// <summary>A shopper's sign-up at a store's kiosk, and its row in the admin's list, for tests that follow one sign-up through the pipeline.</summary>
internal static class KioskSignUps
{
    /// <summary>Signs up <paramref name="email"/> at <paramref name="store"/>'s kiosk (no phone) and returns the sign-up's id.</summary>
    public static async Task<Guid> SignUpAtKioskAsync(this AppFactory app, string store, string email)
    {
        var kiosk = new Kiosk(app.ClientFor($"{store}.localhost"));
        await kiosk.OpenAsync();
        (await kiosk.SubmitAsync(Kiosk.Fields(("Command.Email", email), ("Command.Phone", null)))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var tenant = await app.TenantAsync(store);
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenant.Id.ToString());
        return (await session.Query<SignUpSummary>().Where(s => s.EmailKey == email).SingleAsync()).Id;
    }

    /// <summary>The sign-up's row as the admin's list reads it (null when there is none).</summary>
    public static async ValueTask<SignUpSummary?> SignUpRowAsync(this AppFactory app, string store, Guid signUpId)
    {
        var tenant = await app.TenantAsync(store);
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenant.Id.ToString());
        return await session.LoadAsync<SignUpSummary>(signUpId);
    }
}
