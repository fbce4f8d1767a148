using System.Net;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Crm.Connection;
using CustomerInfo.Application.Crm.Push;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.FunctionalTests.SignUps;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Crm;
using CustomerInfo.Web.Seeding;
using Hangfire;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.FunctionalTests.Crm;

/// <summary>The app as it runs: the kiosk, the contact-linking subscription, Hangfire's worker, and a real receiver.</summary>
public class PipelineApp : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Hangfire:Server:Enabled", "true"),
        new("Crm:AllowPrivateTargets", "true"),
        new("Crm:FirstRetryDelaySeconds", "1"),
        new("Crm:MaxRetryDelaySeconds", "2"),
        new("Crm:MaxAttempts", "30"),
        new("RateLimits:PerClientPerMinute", "100000"),
        new("RateLimits:PerStorePerMinute", "100000"),
    ];
}

/// <summary>
/// From the kiosk's "thank you" to the retailer's webhook, with the worker and the subscription running.
/// Each test has a store of its own and the database is never reset under the running subscription
/// (a reset rewinds its stored progress, which the running daemon rightly refuses).
/// </summary>
public class CrmPushPipelineTests(PipelineApp app) : IClassFixture<PipelineApp>, IAsyncLifetime
{
    private const string Secret = "whsec_cGlwZWxpbmUgdGVzdCBzZWNyZXQgMTIzNDU2Nzg5MA==";
    private readonly string store = "shop" + Guid.NewGuid().ToString("N")[..8];
    private FakeWebhookReceiver receiver = null!;
    private Guid tenantId;

    public async Task InitializeAsync()
    {
        tenantId = await app.AddStoreAsync(store, "Demo Store");
        await app.SendAsync(store, new PublishFormDefinitionCommand(DemoForm.Definition));
        receiver = await FakeWebhookReceiver.StartNewAsync(Secret);
        await app.ConnectWebhookAsync(store, receiver.Url, Secret);
    }

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    private async Task SignUpAsync(string email)
    {
        var kiosk = new Kiosk(app.ClientFor($"{store}.localhost"));
        await kiosk.OpenAsync();
        var response = await kiosk.SubmitAsync(Kiosk.Fields(("Command.Email", email), ("Command.Phone", null)));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    private async ValueTask<IReadOnlyList<SignUpSummary>> RowsAsync()
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenantId.ToString());
        return await session.Query<SignUpSummary>().ToListAsync();
    }

    [Fact]
    public async Task A_kiosk_sign_up_reaches_the_retailer_s_webhook_signed_once()
    {
        await SignUpAsync("ann@example.com");

        (await Eventually.HoldsAsync(() => ValueTask.FromResult(receiver.Deliveries.Count), n => n >= 1, TimeSpan.FromSeconds(20))).ShouldBeTrue();
        var delivery = receiver.Deliveries.ShouldHaveSingleItem();
        delivery.Data.GetProperty("email").GetString().ShouldBe("ann@example.com");
        delivery.Data.GetProperty("consent").GetProperty("email").GetProperty("given").GetBoolean().ShouldBeTrue();
        (await Eventually.HoldsAsync(async () => (await RowsAsync()).Single().CrmStatus, s => s == CrmPushStatus.Pushed)).ShouldBeTrue();
    }

    [Fact]
    public async Task Sign_ups_the_receiver_refused_before_it_knew_the_secret_are_sent_again_once_the_connection_passes_its_test()
    {
        var manager = Actor.Member(tenantId, Guid.NewGuid(), TeamRole.Manager);
        // The receiver checks signatures but has not been given the secret yet (it is shown once the connection is made),
        // and refuses one contact for a reason of its own.
        receiver.Secret = "whsec_" + Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray());
        await SignUpAsync("early@example.com");
        (await Eventually.HoldsAsync(RowsAsync, rows => rows.Count == 1 && rows[0].CrmStatus == CrmPushStatus.Failed, TimeSpan.FromSeconds(30))).ShouldBeTrue();
        (await RowsAsync()).Single().CrmProblem!.Status.ShouldBe(401); // wrong credentials: not retried on its own
        receiver.Secret = Secret;
        receiver.Refuses = data => data.GetProperty("email").GetString() == "refused@example.com";
        await SignUpAsync("refused@example.com");
        (await Eventually.HoldsAsync(RowsAsync, rows => rows.Count == 2 && rows.All(r => r.CrmStatus == CrmPushStatus.Failed), TimeSpan.FromSeconds(30))).ShouldBeTrue();
        receiver.Refuses = null;

        var passed = await app.SendAsync(store, new TestCrmConnectionCommand(), manager);
        passed.Result!.Succeeded.ShouldBeTrue();
        passed.RequeuedRefused.ShouldBeTrue();

        // The one refused for the secret goes again and arrives; the one the receiver refused for itself stays failed.
        (await Eventually.HoldsAsync(RowsAsync, rows => rows.Single(r => r.EmailKey == "early@example.com").CrmStatus == CrmPushStatus.Pushed, TimeSpan.FromSeconds(30))).ShouldBeTrue();
        await Task.Delay(TimeSpan.FromSeconds(2));
        receiver.Distinct.Where(d => d.Type == "contact.signed_up").Select(d => d.Data.GetProperty("email").GetString()).ShouldBe(["early@example.com"]); // and the test's ping
        (await RowsAsync()).Single(r => r.EmailKey == "refused@example.com").CrmStatus.ShouldBe(CrmPushStatus.Failed);
        (await app.SendAsync(store, new TestCrmConnectionCommand(), manager)).RequeuedRefused.ShouldBeFalse(); // nothing left to send again
    }

    [Fact]
    public async Task With_the_receiver_down_every_sign_up_arrives_once_it_is_back_each_under_its_own_delivery_id()
    {
        await receiver.StopAsync();
        var emails = Enumerable.Range(1, 5).Select(i => $"shopper{i}@example.com").ToList();
        foreach (var email in emails)
        {
            await SignUpAsync(email);
        }

        // Each push failed at least once, and the admin's rows say so while the receiver is down.
        (await Eventually.HoldsAsync(RowsAsync, rows => rows.Count == 5 && rows.All(r => r.CrmStatus == CrmPushStatus.Retrying), TimeSpan.FromSeconds(30))).ShouldBeTrue();
        (await RowsAsync()).ShouldAllBe(r => r.CrmReason != null && r.CrmReason.Contains("did not answer"));

        await receiver.StartAsync();
        (await Eventually.HoldsAsync(() => ValueTask.FromResult(receiver.Distinct.Count), n => n >= 5, TimeSpan.FromSeconds(40))).ShouldBeTrue();

        (await Eventually.HoldsAsync(RowsAsync, rows => rows.All(r => r.CrmStatus == CrmPushStatus.Pushed))).ShouldBeTrue();
        var rows = await RowsAsync();
        rows.ShouldAllBe(r => r.CrmAttempts > 1);
        receiver.Distinct.Select(d => d.Data.GetProperty("email").GetString()).ShouldBe(emails, ignoreOrder: true);
        receiver.Distinct.Select(d => d.Id).ShouldBe(rows.Select(r => r.CrmDeliveryId!), ignoreOrder: true);
        await Task.Delay(TimeSpan.FromSeconds(3)); // nothing more is on its way
        receiver.Distinct.Count.ShouldBe(5);
    }

    [Fact]
    public async Task A_burst_of_sign_ups_is_pushed_in_fewer_jobs_than_sign_ups_each_arriving_once()
    {
        var emails = Enumerable.Range(1, 30).Select(i => $"burst{i}@example.com").ToList();

        await Task.WhenAll(emails.Select(SignUpAsync));

        (await Eventually.HoldsAsync(RowsAsync, rows => rows.Count == 30 && rows.All(r => r.CrmStatus == CrmPushStatus.Pushed), TimeSpan.FromSeconds(60))).ShouldBeTrue();
        (await Eventually.HoldsAsync(() => ValueTask.FromResult(PushJobs().Sum(j => j.SignUpIds.Length)), n => n >= 30)).ShouldBeTrue();
        receiver.Deliveries.Count.ShouldBe(30);
        receiver.Deliveries.Select(d => d.Id).Distinct().Count().ShouldBe(30);
        receiver.Deliveries.Select(d => d.Data.GetProperty("email").GetString()).ShouldBe(emails, ignoreOrder: true);
        var jobs = PushJobs();
        jobs.Sum(j => j.SignUpIds.Length).ShouldBe(30);
        jobs.Count.ShouldBeLessThan(30);
    }

    [Fact]
    public async Task Bursts_in_two_stores_at_once_reach_each_store_s_webhook_and_a_shopper_twice_in_one_burst_is_one_contact()
    {
        // A second store with its own receiver: the subscription links the two stores' pages side by side.
        var other = "shop" + Guid.NewGuid().ToString("N")[..8];
        var otherTenantId = await app.AddStoreAsync(other, "Other Store");
        await app.SendAsync(other, new PublishFormDefinitionCommand(DemoForm.Definition));
        await using var otherReceiver = await FakeWebhookReceiver.StartNewAsync(Secret);
        await app.ConnectWebhookAsync(other, otherReceiver.Url, Secret);
        var emails = Enumerable.Range(1, 15).Select(i => $"both{i}@example.com").Append("both1@example.com").ToList();

        async Task OtherSignUpAsync(string email)
        {
            var kiosk = new Kiosk(app.ClientFor($"{other}.localhost"));
            await kiosk.OpenAsync();
            (await kiosk.SubmitAsync(Kiosk.Fields(("Command.Email", email), ("Command.Phone", null)))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }

        await Task.WhenAll(emails.Select(SignUpAsync).Concat(emails.Select(OtherSignUpAsync)));

        (await Eventually.HoldsAsync(() => ValueTask.FromResult(receiver.Deliveries.Count + otherReceiver.Deliveries.Count), n => n >= 32, TimeSpan.FromSeconds(60))).ShouldBeTrue();
        await Task.Delay(TimeSpan.FromSeconds(2)); // nothing more is on its way
        foreach (var (deliveries, id) in new[] { (receiver.Deliveries, tenantId), (otherReceiver.Deliveries, otherTenantId) })
        {
            deliveries.Count.ShouldBe(16);
            deliveries.Select(d => d.Id).Distinct().Count().ShouldBe(16);
            deliveries.Select(d => d.Data.GetProperty("email").GetString()).ShouldBe(emails, ignoreOrder: true);
            await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(id.ToString());
            var rows = await session.Query<SignUpSummary>().ToListAsync();
            rows.Count.ShouldBe(16);
            rows.Select(r => r.ContactId.ShouldNotBeNull()).Distinct().Count().ShouldBe(15); // both1 signed up twice: one contact
        }
    }

    /// <summary>The push jobs of this test's store that ran to the end.</summary>
    private List<PushSignUpsToCrmCommand> PushJobs() =>
        app.Services.GetRequiredService<JobStorage>().GetMonitoringApi().SucceededJobs(0, 10_000)
            .Select(j => j.Value.Job?.Args is { Count: > 0 } args ? args[0] : null)
            .OfType<PushSignUpsToCrmCommand>()
            .Where(c => c.TenantId == tenantId)
            .ToList();
}
