using System.Net;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.FunctionalTests.SignUps;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Billing;
using CustomerInfo.Web.Seeding;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.FunctionalTests.Billing;

/// <summary>
/// An old tablet still on the counter of a store that canceled (ADR 23): its queued sign-ups are
/// refused with the "unavailable" answer kiosk.js keeps them queued on (403, the same as a suspended
/// store's), never one that makes it drop them (a redirect) or hold them for staff (400, 410, 413, 422).
/// </summary>
public class CanceledKioskTests(BillingAppFactory app) : IClassFixture<BillingAppFactory>, IAsyncLifetime
{
    private const string Subscription = "sub_canceled";
    private static readonly DateTimeOffset Subscribed = DateTimeOffset.UtcNow.AddDays(-60);
    private static readonly DateTimeOffset Ended = DateTimeOffset.UtcNow.AddDays(-1);

    private Guid acme;
    private Kiosk tablet = null!;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        acme = await app.AddStoreAsync("acme", "Acme");
        await app.SendAsync("acme", new PublishFormDefinitionCommand(DemoForm.Definition));
        await RecordAsync(new TenantFact.SubscriptionActive(Subscription, BillingAppFactory.Plan, Subscribed));
        tablet = new Kiosk(app.ClientFor("acme.localhost"));
        await tablet.OpenAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_sign_up_a_tablet_sends_to_a_canceled_store_is_refused_as_unavailable_and_nothing_is_stored()
    {
        await RecordAsync(new TenantFact.SubscriptionDeleted(Subscription, Ended));

        await RefusedAsUnavailableAsync();
    }

    [Fact]
    public async Task A_store_whose_data_was_erased_still_answers_unavailable_not_not_found()
    {
        await RecordAsync(new TenantFact.SubscriptionDeleted(Subscription, Ended.AddDays(-30)));
        await RecordAsync(new TenantFact.RecordDataErased(0, Ended));

        await RefusedAsUnavailableAsync();
    }

    private async Task RefusedAsUnavailableAsync()
    {
        var answer = await tablet.SubmitAsync(Kiosk.Fields());

        // kiosk.js: 403 is "closed, ask again later" (the sign-up stays queued on its backoff).
        answer.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var body = await answer.Content.ReadAsStringAsync();
        body.ShouldContain("Sign-up is unavailable here");
        body.ShouldNotContain("cancel", Case.Insensitive);
        body.ShouldNotContain("billing", Case.Insensitive);
        // Before sending, the tablet fetches a fresh token; a 403 there keeps the queue as it is too.
        (await tablet.Client.GetAsync("/?handler=token")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await app.SendAsync("acme", new ListSignUpsQuery())).Items.ShouldBeEmpty();
    }

    private async Task RecordAsync(TenantFact fact) =>
        (await app.Services.GetRequiredService<TenantFacts>().RecordAsync(acme, fact, default)).Outcome.ShouldBe(TenantChangeOutcome.Changed);
}
