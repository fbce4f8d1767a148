using System.Net;
using System.Text.Json;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Contacts.LinkSignUpToContact;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.FunctionalTests.SignUps;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Seeding;

namespace CustomerInfo.FunctionalTests.Admin;

public class PrivacyPageTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private const string Email = "zebulonia.kwast@example.com";
    private const string Manager = "manager@demo.test";
    private HttpClient client = null!;
    private Guid managerId;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("demo", "Demo Store");
        await app.SendAsync("demo", new PublishFormDefinitionCommand(DemoForm.Definition));
        var kiosk = new Kiosk(app.ClientFor("demo.localhost"));
        await kiosk.OpenAsync();
        (await kiosk.SubmitAsync(Kiosk.Fields(("Command.FirstName", "Zebulonia"), ("Command.LastName", "Kwast"), ("Command.Email", Email), ("Command.Phone", "06 11223344"))))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var signUp = (await app.SendAsync("demo", new ListSignUpsQuery())).Items.Single();
        await app.SendAsync("demo", new LinkSignUpToContactCommand(signUp.Id), Actor.System("test"));
        managerId = (await app.AddMemberAsync("demo", Manager, TeamRole.Manager)).Id;
        client = app.ClientFor("demo.localhost");
        await Members.SignedInAsync(client, Manager);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_shopper_found_by_email_is_downloaded_as_a_readable_json_file()
    {
        var response = await PostAsync(client, "Export", new() { ["Query.Email"] = " ZEBULONIA.kwast@example.com " });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var file = response.Content.Headers.ContentDisposition.ShouldNotBeNull();
        file.DispositionType.ShouldBe("attachment");
        file.FileName.ShouldNotBeNull().ShouldStartWith("shopper-");
        file.FileName.ShouldNotContain("zebulonia", Case.Insensitive);
        var json = await response.Content.ReadAsStringAsync();
        json.ShouldContain("\n  \"store\": \"Demo Store\"");
        var export = JsonDocument.Parse(json).RootElement;
        export.GetProperty("contact").GetProperty("details").GetProperty("email").GetString().ShouldBe(Email);
        export.GetProperty("signUps").GetArrayLength().ShouldBe(1);
        export.GetProperty("consentProofs")[0].GetProperty("channel").GetString().ShouldBe("Email");
    }

    [Fact]
    public async Task Erasing_asks_for_confirmation_then_the_shopper_is_gone()
    {
        var unconfirmed = await PostAsync(client, "Erase", new() { ["Query.Phone"] = "06 11223344" });
        (await AppFactory.ReadAsync(unconfirmed, HttpStatusCode.OK)).ShouldContain("Tick the box to confirm");
        (await PostAsync(client, "Export", new() { ["Query.Phone"] = "06 11223344" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var erased = await PostAsync(client, "Erase", new() { ["Query.Phone"] = "+31 6 11223344", ["Confirm"] = "true" });

        (await AppFactory.ReadAsync(erased, HttpStatusCode.OK)).ShouldContain("Erased: 1 sign-up(s) of 1 contact(s).");
        var gone = await PostAsync(client, "Export", new() { ["Query.Email"] = Email });
        (await AppFactory.ReadAsync(gone, HttpStatusCode.NotFound)).ShouldContain("This store has no shopper with that email address or phone number.");
        (await app.SendAsync("demo", new ListSignUpsQuery())).Items.Single().ErasedBy.ShouldBe($"member:{managerId}");
    }

    [Fact]
    public async Task Asking_with_neither_email_nor_phone_says_what_is_needed()
    {
        var response = await PostAsync(client, "Export", new() { ["Query.Email"] = "" });

        (await AppFactory.ReadAsync(response, HttpStatusCode.OK)).ShouldContain("Give the shopper&#x27;s email address or phone number.");
    }

    [Fact]
    public async Task A_manager_sees_how_long_shoppers_are_kept_and_may_not_change_it()
    {
        var page = await AppFactory.ReadAsync(await client.GetAsync("/admin/privacy"), HttpStatusCode.OK);

        page.ShouldContain("Shoppers&#x27; data is erased 24 months after their latest sign-up.");
        page.ShouldContain("Only an Owner of the team can change this.");
        page.ShouldNotContain("<select id=\"retention\"");
        (await PostAsync(client, "Retention", new() { ["Retention"] = "until-erased" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await app.TenantAsync("demo")).RetentionMonths.ShouldBe(24);
    }

    [Fact]
    public async Task An_owner_chooses_to_keep_shoppers_until_erased_then_for_a_year_and_a_made_up_choice_is_refused()
    {
        await app.AddMemberAsync("demo", "owner@demo.test", TeamRole.Owner);
        var owner = app.ClientFor("demo.localhost");
        await Members.SignedInAsync(owner, "owner@demo.test");

        var kept = await AppFactory.ReadAsync(await PostAsync(owner, "Retention", new() { ["Retention"] = "until-erased" }), HttpStatusCode.OK);
        kept.ShouldContain("Saved.");
        kept.ShouldContain("Shoppers&#x27; data is kept until you erase it.");
        (await app.TenantAsync("demo")).RetentionMonths.ShouldBeNull();

        (await AppFactory.ReadAsync(await PostAsync(owner, "Retention", new() { ["Retention"] = "12" }), HttpStatusCode.OK))
            .ShouldContain("<option value=\"12\" selected=\"selected\">12 months after their latest sign-up</option>");
        (await app.TenantAsync("demo")).RetentionMonths.ShouldBe(12);

        foreach (var hostile in new[] { "7", "-24", "", "24; drop table", "９" })
        {
            var refused = await PostAsync(owner, "Retention", new() { ["Retention"] = hostile });
            (await AppFactory.ReadAsync(refused, HttpStatusCode.UnprocessableEntity)).ShouldContain("Choose one of the options in the list.");
        }

        (await app.TenantAsync("demo")).RetentionMonths.ShouldBe(12);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string handler, Dictionary<string, string> fields)
    {
        var page = await AppFactory.ReadAsync(await client.GetAsync("/admin/privacy"), HttpStatusCode.OK);
        fields["__RequestVerificationToken"] = Forms.AntiforgeryToken(page);
        return await client.PostAsync($"/admin/privacy?handler={handler}", new FormUrlEncodedContent(fields));
    }
}

public class PrivacyPageAccessTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Staff_may_not_open_it_and_anonymous_visitors_are_sent_to_sign_in()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("demo", "Demo Store");
        await app.AddMemberAsync("demo", "staff@demo.test", TeamRole.Staff);
        var staff = app.ClientFor("demo.localhost");
        await Members.SignedInAsync(staff, "staff@demo.test");

        (await staff.GetAsync("/admin/privacy")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await AppFactory.ReadAsync(await staff.GetAsync("/admin"), HttpStatusCode.OK)).ShouldNotContain("/admin/privacy");
        (await app.ClientFor("demo.localhost").GetAsync("/admin/privacy")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await app.ClientFor("localhost").GetAsync("/admin/privacy")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.ClientFor("demo.localhost").GetAsync("/dev/shopper")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
