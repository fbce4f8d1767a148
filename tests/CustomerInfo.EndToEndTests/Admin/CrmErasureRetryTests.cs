using CustomerInfo.Application.Crm;
using CustomerInfo.Application.Crm.Erasure;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.Infrastructure.Crm.Webhook;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Crm;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.EndToEndTests.Admin;

/// <summary>A Manager sees a failed CRM erasure with the CRM's reason on the CRM page and tries it again.</summary>
[Collection(SharedBrowser.Collection)]
public class CrmErasureRetryTests(BrowserFixture browser, KestrelAppFactory app) : BrowserTest(browser, app)
{
    private const string Manager = "manager@acme.test";
    private Guid acme;

    protected override async Task ArrangeAsync()
    {
        acme = await App.AddStoreAsync("acme", "Acme Shoes");
        await App.AddMemberAsync("acme", Manager, TeamRole.Manager);
    }

    [Fact]
    public async Task A_manager_sees_the_failed_erasure_with_the_crms_reason_and_tries_it_again()
    {
        await using var receiver = await FakeWebhookReceiver.StartNewAsync();
        var connectionId = await App.ConnectWebhookAsync("acme", receiver.Url, CrmSettingField.NewSecret());
        await using (var session = App.Services.GetRequiredService<IDocumentStore>().LightweightSession(acme.ToString()))
        {
            session.Store(new CrmErasureRequest
            {
                Id = Guid.NewGuid(),
                ConnectionId = connectionId,
                Kind = WebhookConnector.Kind,
                RecordId = "rec-1234",
                Status = CrmErasureStatus.Failed,
                Attempts = 8,
                Reason = "Signed webhook answered 503 Service Unavailable",
                RequestedBy = "member:test",
                RequestedAt = DateTimeOffset.UtcNow.AddHours(-2),
                FinishedAt = DateTimeOffset.UtcNow.AddHours(-1),
            });
            await session.SaveChangesAsync();
        }

        var admin = await SignInAsync(App.StoreUrl("acme", "/admin/signin"), Manager, Screen.Desktop);
        await GoAsync(admin, App.StoreUrl("acme", "/admin/crm"));
        await Expect(admin.GetByText("Signed webhook answered 503 Service Unavailable", new() { Exact = false })).ToBeVisibleAsync();
        await ScreenshotAsync(admin, "crm-erasure-failed-en-desktop");
        await admin.SetViewportSizeAsync(Screen.Tablet.Width, Screen.Tablet.Height);
        await ScreenshotAsync(admin, "crm-erasure-failed-en-tablet");
        await GoAsync(admin, App.StoreUrl("acme", "/admin/crm?lang=nl"));
        await ScreenshotAsync(admin, "crm-erasure-failed-nl-tablet");
        await admin.SetViewportSizeAsync(Screen.Desktop.Width, Screen.Desktop.Height);
        await GoAsync(admin, App.StoreUrl("acme", "/admin/crm"));

        await admin.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Try the erasure of .+ again$") }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("The erasure is being tried again.");
        await ScreenshotAsync(admin, "crm-erasure-retried-en-desktop");

        await GoAsync(admin, App.StoreUrl("acme", "/admin/crm?lang=nl"));
        await ScreenshotAsync(admin, "crm-erasure-retried-nl-desktop");
    }

    [Fact]
    public async Task A_manager_retries_all_failed_erasures_and_is_told_how_many_were_queued_in_english_and_dutch()
    {
        await using var receiver = await FakeWebhookReceiver.StartNewAsync();
        var connectionId = await App.ConnectWebhookAsync("acme", receiver.Url, CrmSettingField.NewSecret());
        await FailedErasuresAsync(connectionId, 3);

        var admin = await SignInAsync(App.StoreUrl("acme", "/admin/signin"), Manager, Screen.Desktop);
        await GoAsync(admin, App.StoreUrl("acme", "/admin/crm"));
        await ScreenshotAsync(admin, "crm-erasures-retry-all-en-desktop");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Retry all failed erasures", Exact = true }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("3 failed erasures are being tried again, each on its own.");
        await Expect(admin.GetByRole(AriaRole.Button, new() { Name = "Retry all failed erasures", Exact = true })).ToHaveCountAsync(0);
        await ScreenshotAsync(admin, "crm-erasures-retried-all-en-desktop");

        await FailedErasuresAsync(connectionId, 2);
        await GoAsync(admin, App.StoreUrl("acme", "/admin/crm?lang=nl"));
        await admin.SetViewportSizeAsync(Screen.Tablet.Width, Screen.Tablet.Height);
        await ScreenshotAsync(admin, "crm-erasures-retry-all-nl-tablet");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Alle mislukte verwijderingen opnieuw proberen", Exact = true }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("2 mislukte verwijderingen worden opnieuw geprobeerd, elk apart.");
        await ScreenshotAsync(admin, "crm-erasures-retried-all-nl-tablet");
    }

    [Fact]
    public async Task Retry_all_is_offered_for_a_retryable_failed_erasure_older_than_the_listed_ones()
    {
        await using var receiver = await FakeWebhookReceiver.StartNewAsync();
        var connectionId = await App.ConnectWebhookAsync("acme", receiver.Url, CrmSettingField.NewSecret());
        var old = Guid.NewGuid();
        await using (var session = App.Services.GetRequiredService<IDocumentStore>().LightweightSession(acme.ToString()))
        {
            // The page lists the latest 20; the one a retry can reach is the 21st, out of the list. A listed one failed with its reason in parts.
            session.Store(Erasure(old, connectionId, CrmErasureStatus.Failed, DateTimeOffset.UtcNow.AddDays(-3)));
            var problem = new CrmProblem(CrmProblems.Answered, WebhookConnector.Kind, Host: "hooks.example.com", Status: 503, StatusPhrase: "Service Unavailable");
            session.Store(Erasure(Guid.NewGuid(), Guid.NewGuid(), CrmErasureStatus.Failed, DateTimeOffset.UtcNow.AddMinutes(-30)) with { Reason = CrmProblemText.English(problem), Problem = problem });
            for (var i = 0; i < 19; i++)
            {
                session.Store(Erasure(Guid.NewGuid(), connectionId, CrmErasureStatus.Erased, DateTimeOffset.UtcNow.AddHours(-1 - i)));
            }

            await session.SaveChangesAsync();
        }

        var admin = await SignInAsync(App.StoreUrl("acme", "/admin/signin"), Manager, Screen.Desktop);
        await GoAsync(admin, App.StoreUrl("acme", "/admin/crm"));
        await Expect(admin.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Try the erasure of .+ again$") })).ToHaveCountAsync(0);
        var retryAll = admin.GetByRole(AriaRole.Button, new() { Name = "Retry all failed erasures", Exact = true });
        await Expect(retryAll).ToBeVisibleAsync();
        await retryAll.ScrollIntoViewIfNeededAsync();
        await ScreenshotAsync(admin, "crm-erasures-retry-all-unlisted-en-desktop");
        await GoAsync(admin, App.StoreUrl("acme", "/admin/crm?lang=nl"));
        await Expect(admin.GetByText("De webhook op hooks.example.com antwoordde 503 Service Unavailable", new() { Exact = false })).ToBeVisibleAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Alle mislukte verwijderingen opnieuw proberen", Exact = true }).ScrollIntoViewIfNeededAsync();
        await ScreenshotAsync(admin, "crm-erasures-retry-all-unlisted-nl-desktop");
        await GoAsync(admin, App.StoreUrl("acme", "/admin/crm"));
        await Expect(admin.GetByText("The webhook at hooks.example.com answered 503 Service Unavailable", new() { Exact = false })).ToBeVisibleAsync();
        await retryAll.ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("1 failed erasure is being tried again.");
        await Expect(admin.GetByRole(AriaRole.Button, new() { Name = "Retry all failed erasures", Exact = true })).ToHaveCountAsync(0);
        await using var check = App.Services.GetRequiredService<IDocumentStore>().QuerySession(acme.ToString());
        (await check.LoadAsync<CrmErasureRequest>(old))!.Status.ShouldBe(CrmErasureStatus.Pending);
    }

    [Fact]
    public async Task Retry_all_is_not_offered_when_no_failed_erasure_can_be_tried_again()
    {
        await using var receiver = await FakeWebhookReceiver.StartNewAsync();
        var connectionId = await App.ConnectWebhookAsync("acme", receiver.Url, CrmSettingField.NewSecret());
        await using (var session = App.Services.GetRequiredService<IDocumentStore>().LightweightSession(acme.ToString()))
        {
            // Failed against a connection replaced since: nothing a retry can reach.
            session.Store(Erasure(Guid.NewGuid(), Guid.NewGuid(), CrmErasureStatus.Failed, DateTimeOffset.UtcNow.AddDays(-3)));
            session.Store(Erasure(Guid.NewGuid(), connectionId, CrmErasureStatus.Erased, DateTimeOffset.UtcNow.AddHours(-1)));
            await session.SaveChangesAsync();
        }

        var admin = await SignInAsync(App.StoreUrl("acme", "/admin/signin"), Manager, Screen.Desktop);
        await GoAsync(admin, App.StoreUrl("acme", "/admin/crm"));
        await Expect(admin.GetByText("Signed webhook answered 503 Service Unavailable", new() { Exact = false })).ToBeVisibleAsync();
        await Expect(admin.GetByRole(AriaRole.Button, new() { Name = "Retry all failed erasures", Exact = true })).ToHaveCountAsync(0);
    }

    private static CrmErasureRequest Erasure(Guid id, Guid connectionId, CrmErasureStatus status, DateTimeOffset requestedAt) => new()
    {
        Id = id,
        ConnectionId = connectionId,
        Kind = WebhookConnector.Kind,
        RecordId = $"rec-{id.ToString()[..4]}",
        Status = status,
        Attempts = status == CrmErasureStatus.Failed ? 8 : 1,
        Reason = status == CrmErasureStatus.Failed ? "Signed webhook answered 503 Service Unavailable" : null,
        RequestedBy = "member:test",
        RequestedAt = requestedAt,
        FinishedAt = requestedAt.AddMinutes(5),
    };

    private async Task FailedErasuresAsync(Guid connectionId, int count)
    {
        await using var session = App.Services.GetRequiredService<IDocumentStore>().LightweightSession(acme.ToString());
        for (var i = 0; i < count; i++)
        {
            session.Store(new CrmErasureRequest
            {
                Id = Guid.NewGuid(),
                ConnectionId = connectionId,
                Kind = WebhookConnector.Kind,
                RecordId = $"rec-{i + 1:D4}",
                Status = CrmErasureStatus.Failed,
                Attempts = 8,
                Reason = "Signed webhook answered 503 Service Unavailable",
                RequestedBy = "member:test",
                RequestedAt = DateTimeOffset.UtcNow.AddHours(-2 - i),
                FinishedAt = DateTimeOffset.UtcNow.AddHours(-1),
            });
        }

        await session.SaveChangesAsync();
    }
}
