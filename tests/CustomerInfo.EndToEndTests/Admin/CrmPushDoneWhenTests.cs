using CustomerInfo.Application.Crm.Push;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Crm;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.EndToEndTests.Admin;

/// <summary>The app on a socket with its worker and subscription running, retrying pushes after a second or two.</summary>
public sealed class CrmKestrelApp : KestrelAppFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        .. base.Settings,
        new("Hangfire:Server:Enabled", "true"),
        new("Crm:FirstRetryDelaySeconds", "1"),
        new("Crm:MaxRetryDelaySeconds", "2"),
        new("Crm:MaxAttempts", "60"),
    ];
}

/// <summary>
/// Issue 12's "done when", as a new retailer would try it: a Manager connects the signed webhook, a
/// shopper signs up on the tablet and the receiver gets one signed request; with the receiver down,
/// the admin shows the sign-ups retrying, and once it is back every one arrives, each with its own
/// delivery id. (No reset between tests: the subscription is running, see CrmPushPipelineTests.)
/// </summary>
[Collection(SharedBrowser.Collection)]
public class CrmPushDoneWhenTests(BrowserFixture browser, CrmKestrelApp app) : IClassFixture<CrmKestrelApp>, IAsyncLifetime
{
    private const string Manager = "manager@sole.test";

    private static readonly Screen Counter = new("tablet-820", 820, 1180, IsTouch: true);

    private readonly List<string> scriptErrors = [];

    public async Task InitializeAsync()
    {
        await app.AddStoreAsync("sole", "Sole Mates");
        await app.AddMemberAsync("sole", Manager, TeamRole.Manager);
    }

    public Task DisposeAsync()
    {
        scriptErrors.ShouldBeEmpty();
        return Task.CompletedTask;
    }

    /// <summary>Reloads the list filtered on <paramref name="status"/> until it shows <paramref name="rows"/> sign-ups (the admin shows what is, it does not poll).</summary>
    private Task<bool> RowsShownAsync(IPage admin, string status, int rows) => Eventually.HoldsAsync(
        async () =>
        {
            await admin.GotoAsync(app.StoreUrl("sole", $"/admin/signups?push={status}").ToString());
            return await admin.Locator(".signup-table tbody tr").CountAsync();
        },
        count => count == rows,
        TimeSpan.FromSeconds(30));

    [Fact]
    public async Task A_manager_connects_the_webhook_a_shopper_signs_up_and_every_sign_up_arrives_signed_even_after_the_receiver_was_down()
    {
        await using var receiver = await FakeWebhookReceiver.StartNewAsync();
        await using var context = await browser.NewContextAsync(Screen.Desktop, BrowserFixture.DefaultLocale);
        context.WebError += (_, error) => scriptErrors.Add(error.Error);
        var admin = await context.NewPageAsync();
        await admin.GotoAsync(app.StoreUrl("sole", "/admin/signin").ToString());
        await admin.GetByLabel("Email").FillAsync(Manager);
        await admin.GetByLabel("Password").FillAsync(Members.Password);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await admin.GetByRole(AriaRole.Link, new() { Name = "CRM", Exact = true }).ClickAsync();
        await admin.GetByLabel("Your receiver's address").FillAsync(receiver.Url);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();
        receiver.Secret = await admin.GetByLabel("Signing secret", new() { Exact = true }).InputValueAsync();

        await using var counter = await browser.NewContextAsync(Counter, BrowserFixture.DefaultLocale);
        counter.WebError += (_, error) => scriptErrors.Add(error.Error);
        var tablet = await counter.NewPageAsync();

        async Task SignUpAsync(string firstName, string email)
        {
            await tablet.GotoAsync(app.StoreUrl("sole", "/").ToString());
            await tablet.Locator("#first-name").FillAsync(firstName);
            await tablet.Locator("#email").FillAsync(email);
            await tablet.Locator("#signup .submit").ClickAsync();
            await Expect(tablet.Locator(".thanks")).ToBeVisibleAsync();
        }

        await SignUpAsync("Cleo", "cleo.walker@example.com");
        (await Eventually.HoldsAsync(() => ValueTask.FromResult(receiver.Deliveries.Count), n => n >= 1, TimeSpan.FromSeconds(20))).ShouldBeTrue();
        var first = receiver.Deliveries.ShouldHaveSingleItem();
        first.Type.ShouldBe("contact.signed_up");
        first.Data.GetProperty("email").GetString().ShouldBe("cleo.walker@example.com");

        // The receiver is down for a while: the sign-ups wait, retrying, and the admin says so.
        await receiver.StopAsync();
        await SignUpAsync("Dan", "dan.hill@example.com");
        await SignUpAsync("Eve", "eve.stone@example.com");
        (await RowsShownAsync(admin, "retrying", 2)).ShouldBeTrue();
        await Screenshots.SaveAsync(admin, "crm-done-when-retrying-desktop");

        await receiver.StartAsync();
        (await Eventually.HoldsAsync(() => ValueTask.FromResult(receiver.Distinct.Count), n => n >= 3, TimeSpan.FromSeconds(40))).ShouldBeTrue();
        receiver.Distinct.Select(d => d.Data.GetProperty("email").GetString()).ShouldBe(["cleo.walker@example.com", "dan.hill@example.com", "eve.stone@example.com"], ignoreOrder: true);
        receiver.Deliveries.Count.ShouldBe(3); // no sign-up came twice

        (await RowsShownAsync(admin, "pushed", 3)).ShouldBeTrue();
        await Screenshots.SaveAsync(admin, "crm-done-when-pushed-desktop");

        // The worker's dashboard has the retries: pushes that succeeded on a later attempt.
        var succeeded = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi().SucceededJobs(0, 100);
        // Pushes go in batches per tenant (PushSignUpsToCrmCommand); a single retry is a batch of one as well.
        var pushes = succeeded.Select(j => j.Value.Job is { Args.Count: > 0 } job ? job.Args[0] : null).ToList();
        pushes.OfType<PushSignUpsToCrmCommand>().Select(p => (p.Attempt, p.Store))
            .Concat(pushes.OfType<PushSignUpToCrmCommand>().Select(p => (p.Attempt, p.Store)))
            .ShouldContain(p => p.Attempt > 1 && p.Store == "sole");
    }
}
