using System.Net;
using System.Text.Json;
using CustomerInfo.Application.Contacts.GetContact;
using CustomerInfo.Application.Contacts.LinkSignUpToContact;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.TestSupport;

namespace CustomerInfo.FunctionalTests.Admin;

/// <summary>The contact pages and the dashboard over HTTP: who may see and do what, and bad input answered clearly.</summary>
public class ContactPagesTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private const string Host = "demo.localhost";
    private readonly Dictionary<string, HttpClient> clients = [];
    private Guid ann;
    private Guid elsewhere;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        foreach (var store in new[] { "demo", "other" })
        {
            await app.AddStoreAsync(store, store + " store");
            await app.SendAsync(store, new PublishFormDefinitionCommand(FormDefinition.StarterFor(store) with
            {
                Fields = [new(BuiltInField.FirstName, FieldRequirement.Required), new(BuiltInField.Email, FieldRequirement.Optional), new(BuiltInField.Phone, FieldRequirement.Optional)],
            }));
        }

        ann = await SignUpAsync("demo", "Annemarie", "annemarie@example.com", "0612345678");
        elsewhere = await SignUpAsync("other", "Bartholomea", "bartholomea@example.com", null);
        foreach (var role in TeamRoles.All)
        {
            var email = $"{role}@demo.test".ToLowerInvariant();
            await app.AddMemberAsync("demo", email, role);
            clients[role.ToString()] = app.ClientFor(Host);
            await Members.SignedInAsync(clients[role.ToString()], email);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Guid> SignUpAsync(string store, string name, string? email, string? phone)
    {
        var result = await app.SendAsync(store, new SubmitSignUpCommand { SubmissionId = Guid.NewGuid(), FirstName = name, Email = email, Phone = phone, EmailConsent = email is not null, SmsConsent = phone is not null });
        return (await app.SendAsync(store, new LinkSignUpToContactCommand(result.SignUpId))).ContactId!.Value;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string page, string handler, Dictionary<string, string>? fields = null)
    {
        var html = await AppFactory.ReadAsync(await client.GetAsync(page), HttpStatusCode.OK);
        var values = new Dictionary<string, string>(fields ?? []) { ["__RequestVerificationToken"] = Forms.AntiforgeryToken(html) };
        return await client.PostAsync($"{page}?handler={handler}", new FormUrlEncodedContent(values));
    }

    [Fact]
    public async Task Staff_see_contacts_and_the_dashboard_but_cannot_withdraw_export_or_erase()
    {
        var staff = clients["Staff"];
        var list = await AppFactory.ReadAsync(await staff.GetAsync("/admin/contacts"), HttpStatusCode.OK);
        list.ShouldContain("Annemarie");
        list.ShouldNotContain("Bartholomea");
        var detail = await AppFactory.ReadAsync(await staff.GetAsync($"/admin/contacts/{ann}"), HttpStatusCode.OK);
        detail.ShouldContain("annemarie@example.com");
        detail.ShouldNotContain("handler=Withdraw");
        detail.ShouldNotContain("confirm=erase");
        (await AppFactory.ReadAsync(await staff.GetAsync("/admin"), HttpStatusCode.OK)).ShouldContain("data-stat=\"today\">1<");

        var page = $"/admin/contacts/{ann}";
        (await PostAsync(staff, page, "Withdraw", new() { ["channel"] = "Email" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync(staff, page, "Export")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync(staff, page, "Erase")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var contact = (await app.SendAsync("demo", new GetContactQuery(ann)))!;
        contact.EmailConsent.ShouldNotBeNull();
        contact.ErasedAt.ShouldBeNull();
    }

    [Fact]
    public async Task A_manager_records_a_withdrawn_consent_and_the_page_shows_it()
    {
        var manager = clients["Manager"];
        var page = $"/admin/contacts/{ann}";
        (await AppFactory.ReadAsync(await manager.GetAsync(page), HttpStatusCode.OK)).ShouldContain("handler=Withdraw");

        var response = await PostAsync(manager, page, "Withdraw", new() { ["channel"] = "Sms" });

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe(page);
        var after = await AppFactory.ReadAsync(await manager.GetAsync(page), HttpStatusCode.OK);
        after.ShouldContain("Recorded: the shopper withdrew their SMS consent.");
        after.ShouldContain("The shopper withdrew it on");
        (await app.SendAsync("demo", new GetContactQuery(ann)))!.SmsConsent.ShouldBeNull();

        (await PostAsync(manager, page, "Withdraw", new() { ["channel"] = "Sms" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await AppFactory.ReadAsync(await manager.GetAsync(page), HttpStatusCode.OK)).ShouldContain("There is no SMS consent to withdraw.");

        foreach (var channel in new[] { "Fax", "", "2", "sms" })
        {
            var refused = await PostAsync(manager, page, "Withdraw", new() { ["channel"] = channel });
            (await AppFactory.ReadAsync(refused, HttpStatusCode.BadRequest)).ShouldContain("Choose email or SMS.");
        }

        (await app.SendAsync("demo", new GetContactQuery(ann)))!.EmailConsent.ShouldNotBeNull();
    }

    [Fact]
    public async Task A_manager_downloads_then_erases_the_shopper_each_after_a_confirmation()
    {
        var manager = clients["Manager"];
        var page = $"/admin/contacts/{ann}";
        (await AppFactory.ReadAsync(await manager.GetAsync(page + "?confirm=export"), HttpStatusCode.OK)).ShouldContain("Download everything you hold on this shopper?");

        var file = await PostAsync(manager, page, "Export");

        file.StatusCode.ShouldBe(HttpStatusCode.OK);
        file.Content.Headers.ContentDisposition!.FileName.ShouldBe($"shopper-{ann:N}-{DateTimeOffset.UtcNow:yyyy-MM-dd}.json");
        JsonDocument.Parse(await file.Content.ReadAsStringAsync()).RootElement.GetProperty("contact").GetProperty("details").GetProperty("email").GetString().ShouldBe("annemarie@example.com");

        (await AppFactory.ReadAsync(await manager.GetAsync(page + "?confirm=erase"), HttpStatusCode.OK)).ShouldContain("Erase this shopper for good?");
        var erased = await PostAsync(manager, page, "Erase");

        erased.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var after = await AppFactory.ReadAsync(await manager.GetAsync(page), HttpStatusCode.OK);
        after.ShouldContain("The shopper was erased from 1 sign-up(s).");
        after.ShouldContain("This shopper was erased on");
        after.ShouldNotContain("annemarie@example.com");
        after.ShouldNotContain("confirm=erase");
        (await AppFactory.ReadAsync(await manager.GetAsync("/admin/contacts"), HttpStatusCode.OK)).ShouldContain("Erased shopper");
    }

    [Fact]
    public async Task Another_tenants_contact_and_an_unknown_id_are_not_found_to_anyone()
    {
        foreach (var id in new[] { elsewhere, Guid.NewGuid() })
        {
            var page = $"/admin/contacts/{id}";
            (await clients["Owner"].GetAsync(page)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            var token = Forms.AntiforgeryToken(await AppFactory.ReadAsync(await clients["Owner"].GetAsync("/admin/contacts"), HttpStatusCode.OK));
            foreach (var handler in new[] { "Withdraw", "Export", "Erase" })
            {
                var response = await clients["Owner"].PostAsync($"{page}?handler={handler}", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["channel"] = "Email" }));
                response.StatusCode.ShouldBe(HttpStatusCode.NotFound, handler);
            }
        }

        (await clients["Owner"].GetAsync("/admin/contacts/not-a-guid")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.SendAsync("other", new GetContactQuery(elsewhere)))!.ErasedAt.ShouldBeNull();
    }

    [Fact]
    public async Task A_merged_contact_leads_to_the_contact_that_holds_the_shopper()
    {
        var byPhone = await SignUpAsync("demo", "Annie", null, "0687654321");
        await SignUpAsync("demo", "Annemarie", "annemarie@example.com", "0687654321");

        var response = await clients["Staff"].GetAsync($"/admin/contacts/{byPhone}");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe($"/admin/contacts/{ann}");
        var survivor = await AppFactory.ReadAsync(await clients["Staff"].GetAsync($"/admin/contacts/{ann}"), HttpStatusCode.OK);
        survivor.ShouldContain("Merged from");
        survivor.ShouldContain(">Annie &#xB7; ");
    }

    [Theory]
    [InlineData("?after=garbage", "This page of the list no longer exists. Start again from the first page.")]
    [InlineData("?after=YzF8MTIzfG5vdC1hLWd1aWQ", "This page of the list no longer exists. Start again from the first page.")]
    [InlineData("?q=%25%00%FF", "Search with letters, digits and punctuation only.")]
    [InlineData("?q=%25_%5C", "No contact matches")]
    public async Task Bad_list_addresses_get_a_clear_answer(string query, string message)
    {
        var html = await AppFactory.ReadAsync(await clients["Staff"].GetAsync("/admin/contacts" + query), HttpStatusCode.OK);

        html.ShouldContain(message);
    }

    [Fact]
    public async Task A_search_of_ten_thousand_characters_is_refused_with_a_message()
    {
        var html = await AppFactory.ReadAsync(await clients["Staff"].GetAsync("/admin/contacts?q=" + new string('a', 10_000)), HttpStatusCode.OK);

        html.ShouldContain("Search for at most 254 characters.");
        html.ShouldNotContain("Annemarie");
    }

    [Fact]
    public async Task The_contact_pages_speak_dutch()
    {
        var staff = clients["Staff"];
        var list = await AppFactory.ReadAsync(await staff.GetAsync("/admin/contacts?lang=nl&after=garbage"), HttpStatusCode.OK);
        list.ShouldContain("Deze pagina van de lijst bestaat niet meer.");
        (await AppFactory.ReadAsync(await staff.GetAsync($"/admin/contacts/{ann}?lang=nl"), HttpStatusCode.OK)).ShouldContain("Toestemmingen");
        (await AppFactory.ReadAsync(await staff.GetAsync("/admin?lang=nl"), HttpStatusCode.OK)).ShouldContain("Aanmeldingen per dag");
    }

    [Fact]
    public async Task The_contact_nav_link_is_current_on_the_list_and_on_a_contact()
    {
        foreach (var page in new[] { "/admin/contacts", $"/admin/contacts/{ann}" })
        {
            (await AppFactory.ReadAsync(await clients["Staff"].GetAsync(page), HttpStatusCode.OK)).ShouldContain("<a href=\"/admin/contacts\" aria-current=\"page\">");
        }
    }
}
