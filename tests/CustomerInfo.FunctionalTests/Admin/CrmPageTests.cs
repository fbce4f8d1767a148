using System.Net;
using System.Text.RegularExpressions;
using CustomerInfo.Application.Crm;
using CustomerInfo.Application.Crm.Erasure;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Infrastructure.Crm.HubSpot;
using CustomerInfo.Infrastructure.Crm.Mailchimp;
using CustomerInfo.Infrastructure.Crm.Webhook;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Crm;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.FunctionalTests.Admin;

/// <summary>The CRM page through HTTP: who may open it, connecting, secrets never shown back, bad input, mapping, disconnecting.</summary>
public partial class CrmPageTests(CrmAppFactory app) : IClassFixture<CrmAppFactory>, IAsyncLifetime
{
    private const string Manager = "manager@acme.test";
    private HttpClient manager = null!;
    private FakeWebhookReceiver receiver = null!;
    private Guid acme;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        app.Jobs.Clear();
        acme = await app.AddStoreAsync("acme", "Acme Shoes");
        await app.AddStoreAsync("bravo", "Bravo Books");
        await app.AddMemberAsync("acme", Manager, TeamRole.Manager);
        await app.AddMemberAsync("acme", "staff@acme.test", TeamRole.Staff);
        await app.AddMemberAsync("bravo", "owner@bravo.test", TeamRole.Owner);
        manager = app.ClientFor("acme.localhost");
        await Members.SignedInAsync(manager, Manager);
        receiver = await FakeWebhookReceiver.StartNewAsync();
    }

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    private async Task<string> PageAsync(string query = "") =>
        WebUtility.HtmlDecode(await AppFactory.ReadAsync(await manager.GetAsync("/admin/crm" + query), HttpStatusCode.OK));

    private async Task<HttpResponseMessage> PostAsync(string handler, Dictionary<string, string> fields, string query = "")
    {
        var html = await AppFactory.ReadAsync(await manager.GetAsync("/admin/crm" + query), HttpStatusCode.OK);
        fields["__RequestVerificationToken"] = Forms.AntiforgeryToken(html);
        return await manager.PostAsync($"/admin/crm?handler={handler}{query.Replace('?', '&')}", new FormUrlEncodedContent(fields));
    }

    private Task<HttpResponseMessage> ConnectAsync(string kind, string key, string value, string query = "") =>
        PostAsync("Connect", new() { ["Form.Kind"] = kind, [$"Form.Settings[{key}]"] = value }, query);

    private static async Task<string> BodyAsync(HttpResponseMessage response, HttpStatusCode expected) => WebUtility.HtmlDecode(await AppFactory.ReadAsync(response, expected));

    private async Task<CrmConnection?> StoredAsync()
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(acme.ToString());
        return await session.LoadAsync<CrmConnection>(CrmConnection.DocumentId);
    }

    [Fact]
    public async Task Staff_get_403_another_stores_owner_is_refused_and_a_manager_finds_it_in_the_nav_and_the_checklist()
    {
        var staff = app.ClientFor("acme.localhost");
        await Members.SignedInAsync(staff, "staff@acme.test");
        (await staff.GetAsync("/admin/crm")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await AppFactory.ReadAsync(await staff.GetAsync("/admin"), HttpStatusCode.OK)).ShouldNotContain("href=\"/admin/crm\"");
        (await app.ClientFor("acme.localhost").GetAsync("/admin/crm")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var bravoCookie = await Members.SignedInAsync(app.ClientFor("bravo.localhost"), "owner@bravo.test");
        (await Members.GetWithCookieAsync(app, "acme.localhost", "/admin/crm", bravoCookie)).StatusCode.ShouldBeOneOf(HttpStatusCode.Redirect, HttpStatusCode.NotFound, HttpStatusCode.Forbidden);

        var overview = await AppFactory.ReadAsync(await manager.GetAsync("/admin"), HttpStatusCode.OK);
        overview.ShouldContain("<a href=\"/admin/crm\" aria-current=\"\">CRM</a>".Replace(" aria-current=\"\"", ""));
        overview.ShouldContain("<a href=\"/admin/crm\">Connect your CRM</a>");
        var page = await PageAsync();
        page.ShouldContain("No CRM connected");
        page.ShouldContain("Sign-ups are kept and wait for a CRM.");
        (await PageAsync("?lang=nl")).ShouldContain("<h1>CRM-koppeling</h1>");
    }

    [Fact]
    public async Task Connecting_a_webhook_shows_its_secret_once_and_never_again_nor_in_the_logs()
    {
        var connected = await BodyAsync(await ConnectAsync(WebhookConnector.Kind, WebhookConnector.UrlSetting, receiver.Url), HttpStatusCode.OK);

        var secret = SecretField().Match(connected).Groups[1].Value;
        secret.ShouldStartWith("whsec_");
        connected.ShouldContain("Store it now: it won't be shown again.");
        connected.ShouldContain("Signed webhook is connected. Sign-ups that waited are being sent to it now.");
        var again = await PageAsync();
        again.ShouldNotContain(secret);
        again.ShouldNotContain(secret[6..20]);
        again.ShouldContain("stored, ends in …" + secret[^4..]);
        again.ShouldContain("Connected to Signed webhook");
        var stored = (await StoredAsync())!;
        var local = TimeZoneInfo.ConvertTime(stored.ConnectedAt, CustomerInfo.Domain.Stores.StoreTimeZones.Find(CustomerInfo.Domain.Stores.StoreTimeZones.Default));
        again.ShouldContain(local.ToString("d MMMM yyyy, HH:mm", System.Globalization.CultureInfo.GetCultureInfo("en-GB")), Case.Sensitive, "times are in the store's time zone, as in the rest of the admin");
        again.ShouldNotContain(" UTC");
        again.ShouldNotContain("Store it now");

        // Test connection: the receiver does not know the secret yet, then it does.
        var failed = await PostAsync("Test", []);
        failed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await PageAsync()).ShouldContain("The test failed. Your CRM's answer:");
        receiver.Secret = secret;
        await PostAsync("Test", []);
        (await PageAsync()).ShouldContain("The test passed: Signed webhook accepted our call.");
        receiver.Deliveries.ShouldHaveSingleItem().Type.ShouldBe("ping");

        var signingKey = secret[6..];
        app.Logs.Lines.ShouldNotContain(l => l.Contains(signingKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_is_never_shown_back_nor_logged_and_leaving_it_empty_keeps_it()
    {
        (await ConnectAsync(MailchimpConnector.Kind, MailchimpConnector.ApiKeySetting, FakeMailchimp.ApiKey, "?kind=mailchimp")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var page = await PageAsync();
        page.ShouldNotContain(FakeMailchimp.ApiKey);
        page.ShouldNotContain(FakeMailchimp.ApiKey[..12]);
        page.ShouldContain("Stored, ends in …us21. Leave empty to keep it.");
        page.ShouldContain("type=\"password\"");

        (await ConnectAsync(MailchimpConnector.Kind, MailchimpConnector.ApiKeySetting, "")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await PageAsync()).ShouldContain("Your Mailchimp settings are saved and the test passed.");
        app.MailchimpKeysUsed[^1].ShouldBe(FakeMailchimp.ApiKey);

        // A wrong key: refused with Mailchimp's reason, and the typed key is not put back into the page.
        var refused = await BodyAsync(await ConnectAsync(MailchimpConnector.Kind, MailchimpConnector.ApiKeySetting, CrmAppFactory.WrongMailchimpKey), HttpStatusCode.UnprocessableEntity);
        refused.ShouldContain("Not connected: your CRM refused the test. Its answer: Mailchimp answered 401");
        refused.ShouldContain("API Key Invalid");
        refused.ShouldNotContain(CrmAppFactory.WrongMailchimpKey);
        app.MailchimpKeysUsed.ShouldContain(CrmAppFactory.WrongMailchimpKey);
        (await StoredAsync())!.SecretHints[MailchimpConnector.ApiKeySetting].ShouldBe("…us21");

        var good = FakeMailchimp.ApiKey[..32];
        var wrong = CrmAppFactory.WrongMailchimpKey[..32];
        app.Logs.Lines.ShouldNotContain(l => l.Contains(good, StringComparison.Ordinal) || l.Contains(wrong, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("webhook", "url", "not a url", "Enter a full web address, like https://example.com/hook.")]
    [InlineData("webhook", "url", "", "Fill in this setting.")]
    [InlineData("webhook", "url", "javascript:alert(1)", "Enter a full web address, like https://example.com/hook.")]
    [InlineData("webhook", "url", "https://exa\u0007mple.com/", "A setting can't contain line breaks or invisible control characters.")]
    [InlineData("mailchimp", "apiKey", "pk-\"<script>'; DROP", "This does not look right. Copy it again from your CRM, without spaces.")]
    [InlineData("nope", "url", "https://example.com", "Choose a CRM from the list.")]
    [InlineData("", "url", "https://example.com", "Choose a CRM from the list.")]
    public async Task Bad_settings_get_a_clear_message_beside_their_field_and_never_a_500(string kind, string key, string value, string message)
    {
        var response = await ConnectAsync(kind, key, value);

        var html = await BodyAsync(response, HttpStatusCode.OK);
        html.ShouldContain(message);
        html.ShouldNotContain("<script>'");
        (await StoredAsync()).ShouldBeNull();
    }

    [Fact]
    public async Task A_huge_value_is_refused_with_its_reason()
    {
        var html = await BodyAsync(await ConnectAsync("webhook", "url", "https://example.com/" + new string('a', 50_000)), HttpStatusCode.OK);
        html.ShouldContain("Keep each setting to 2000 characters.");
        html.ShouldContain("aria-invalid=\"true\"");
    }

    [Fact]
    public async Task A_manager_chooses_a_list_then_maps_fields_from_what_the_crm_lists()
    {
        await ConnectAsync(MailchimpConnector.Kind, MailchimpConnector.ApiKeySetting, FakeMailchimp.ApiKey, "?kind=mailchimp");
        var page = await PageAsync();
        page.ShouldContain("<option value=\"l-vip\">VIP club</option>");
        page.ShouldNotContain("<option value=\"SHOE\">", Case.Sensitive, "Mailchimp's fields are per audience: none before one is chosen");

        (await PostAsync("Mapping", new() { ["Mapping.ListId"] = CrmAppFactory.VipList })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var listed = await PageAsync();
        listed.ShouldContain("<option value=\"SHOE\">Shoe size (SHOE)</option>");
        listed.ShouldContain("<option value=\"l-vip\" selected=\"selected\">");

        var refused = await BodyAsync(await PostAsync("Mapping", new() { ["Mapping.Targets[firstName]"] = "NOPE", ["Mapping.ListId"] = CrmAppFactory.VipList }), HttpStatusCode.OK);
        refused.ShouldContain("Choose a field from the list.");

        (await PostAsync("Mapping", new() { ["Mapping.Targets[firstName]"] = "FNAME", ["Mapping.Targets[phone]"] = "PHONE", ["Mapping.ListId"] = CrmAppFactory.VipList })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var saved = await PageAsync();
        saved.ShouldContain("Your fields are saved.");
        saved.ShouldContain("<option value=\"FNAME\" selected=\"selected\">");
        (await StoredAsync())!.Mapping.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_read_only_crm_field_is_not_offered_for_mapping()
    {
        (await ConnectAsync(HubSpotConnector.Kind, HubSpotConnector.TokenSetting, app.HubSpot.Token, "?kind=hubspot")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var page = await PageAsync();
        page.ShouldContain("<option value=\"firstname\">First Name (firstname)</option>");
        page.ShouldNotContain("value=\"hs_object_id\"");
        page.ShouldNotContain("value=\"hs_email_optout\"");
    }

    [Fact]
    public async Task A_manager_may_choose_a_HubSpot_subscription_type_or_none()
    {
        var newsletter = app.HubSpot.AddSubscriptionType("Newsletter");
        (await ConnectAsync(HubSpotConnector.Kind, HubSpotConnector.TokenSetting, app.HubSpot.Token, "?kind=hubspot")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var page = await PageAsync();
        page.ShouldContain("HubSpot subscription type for marketing email");
        page.ShouldContain(">Email consent</label>");
        page.ShouldContain(">SMS consent</label>");
        page.ShouldContain("<option value=\"\">None: consent goes only to the mapped field</option>");
        page.ShouldContain($"<option value=\"{newsletter}\">Newsletter</option>");

        (await PostAsync("Mapping", new() { ["Mapping.ListId"] = newsletter })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await StoredAsync())!.Settings[HubSpotConnector.SubscriptionSetting].ShouldBe(newsletter);
        (await PageAsync()).ShouldContain($"<option value=\"{newsletter}\" selected=\"selected\">Newsletter</option>");

        (await PostAsync("Mapping", new() { ["Mapping.ListId"] = "" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await StoredAsync())!.Settings.ContainsKey(HubSpotConnector.SubscriptionSetting).ShouldBeFalse();
        (await PageAsync("?lang=nl")).ShouldContain("HubSpot-abonnementstype voor marketingmails");
    }

    [Fact]
    public async Task A_failed_crm_erasure_shows_its_reason_and_a_manager_tries_it_again()
    {
        await ConnectAsync(HubSpotConnector.Kind, HubSpotConnector.TokenSetting, app.HubSpot.Token, "?kind=hubspot");
        var contactId = Guid.NewGuid();
        await using (var session = app.Services.GetRequiredService<IDocumentStore>().LightweightSession(acme.ToString()))
        {
            session.Store(new CrmErasureRequest
            {
                Id = contactId,
                ConnectionId = (await StoredAsync())!.ConnectionId,
                Kind = HubSpotConnector.Kind,
                RecordId = "1234",
                Status = CrmErasureStatus.Failed,
                Attempts = 8,
                Reason = "HubSpot answered 503: Service unavailable",
                RequestedBy = "member:test",
                RequestedAt = DateTimeOffset.UtcNow.AddHours(-1),
                FinishedAt = DateTimeOffset.UtcNow,
            });
            await session.SaveChangesAsync();
        }

        var page = await PageAsync();
        page.ShouldContain("HubSpot answered 503: Service unavailable");
        page.ShouldContain("name=\"id\" value=\"" + contactId + "\"");
        page.ShouldContain(">Try again</button>");

        (await PostAsync("RetryErasure", new() { ["id"] = contactId.ToString() })).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var after = await PageAsync();
        after.ShouldContain("The erasure is being tried again.");
        after.ShouldNotContain(">Try again</button>");
        app.Jobs.Enqueued.Select(j => j.Command).OfType<EraseShopperInCrmCommand>().ShouldHaveSingleItem().ShouldBe(new EraseShopperInCrmCommand(acme, contactId, 1, HubSpotConnector.Kind));

        (await PostAsync("RetryErasure", new() { ["id"] = contactId.ToString() })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await PageAsync()).ShouldContain("That erasure has not failed");
        app.Jobs.Enqueued.Select(j => j.Command).OfType<EraseShopperInCrmCommand>().Count().ShouldBe(1);
    }

    [Fact]
    public async Task Retrying_an_erasure_needs_the_antiforgery_token()
    {
        using var response = await manager.PostAsync("/admin/crm?handler=RetryErasure", new FormUrlEncodedContent(new Dictionary<string, string> { ["id"] = Guid.NewGuid().ToString() }));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        app.Jobs.Enqueued.ShouldBeEmpty();
    }

    [Fact]
    public async Task Switching_offers_the_history_and_disconnecting_needs_a_confirmation()
    {
        await ConnectAsync(WebhookConnector.Kind, WebhookConnector.UrlSetting, receiver.Url);
        (await PageAsync("?kind=mailchimp")).ShouldContain("Connecting Mailchimp replaces Signed webhook.");
        (await ConnectAsync(MailchimpConnector.Kind, MailchimpConnector.ApiKeySetting, FakeMailchimp.ApiKey, "?kind=mailchimp")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await PageAsync()).ShouldContain("Mailchimp is connected. New sign-ups go to it from now on.");

        (await PostAsync("History", [])).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await PageAsync()).ShouldContain("Your earlier sign-ups are being sent to Mailchimp.");
        app.Jobs.Enqueued.Select(j => j.Command.ToString()).ShouldContain("Queue CRM pushes (History)");

        var unconfirmed = await BodyAsync(await PostAsync("Disconnect", []), HttpStatusCode.UnprocessableEntity);
        unconfirmed.ShouldContain("Tick the box to confirm that you want to disconnect.");
        (await StoredAsync())!.Active.ShouldBeTrue();
        (await PostAsync("Disconnect", new() { ["ConfirmDisconnect"] = "true" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var after = await PageAsync();
        after.ShouldContain("Your CRM is disconnected.");
        after.ShouldNotContain("…us21");
        (await StoredAsync())!.ProtectedSecrets.ShouldBeNull();
    }

    [GeneratedRegex("id=\"generated-secret\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex SecretField();
}
