using System.Net;
using System.Text.RegularExpressions;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Seeding;

namespace CustomerInfo.FunctionalTests.SignUps;

/// <summary>A tablet opened with a kiosk link: its sign-ups are its store's, until the link is revoked.</summary>
public partial class KioskLinkTests(SignUpApp app) : IClassFixture<SignUpApp>, IAsyncLifetime
{
    private Guid demoId;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        demoId = await app.AddStoreAsync("demo", "Demo Store");
        await app.SendAsync("demo", new PublishFormDefinitionCommand(DemoForm.Definition));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Opening_a_kiosk_link_keeps_it_on_the_tablet_and_every_sign_up_there_is_the_link_s_store()
    {
        var station = await app.AddKioskLinkAsync(demoId, "Station");
        var kiosk = new Kiosk(app.ClientFor("demo.localhost"));

        var opened = await kiosk.Client.GetAsync($"/k/{station.Token}?lang=nl");

        opened.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        opened.Headers.Location!.OriginalString.ShouldBe("/?lang=nl");
        var cookie = opened.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ci_kiosk=", StringComparison.Ordinal));
        cookie.ShouldContain($"ci_kiosk={station.Token}");
        cookie.ShouldContain("httponly", Case.Insensitive);
        cookie.ShouldContain("samesite=lax", Case.Insensitive);
        var html = await kiosk.OpenAsync("/?lang=nl");
        html.ShouldContain($"name=\"Command.KioskToken\" value=\"{station.Token}\"");

        var response = await kiosk.SubmitAsync(Kiosk.Fields(("Command.KioskToken", station.Token)));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var stored = (await app.SendAsync("demo", new ListSignUpsQuery())).Items.ShouldHaveSingleItem();
        stored.StoreId.ShouldBe(station.StoreId);
        stored.KioskLinkId.ShouldBe(station.LinkId);
    }

    [Fact]
    public async Task Two_links_of_one_store_get_their_own_pages_even_from_the_kept_empty_form()
    {
        var centre = await app.AddKioskLinkAsync(demoId, "Centre");
        var station = await app.AddKioskLinkAsync(demoId, "Station");

        foreach (var link in new[] { centre, station, centre, station })
        {
            var kiosk = new Kiosk(app.ClientFor("demo.localhost"));
            await kiosk.Client.GetAsync($"/k/{link.Token}");
            (await kiosk.OpenAsync()).ShouldContain($"name=\"Command.KioskToken\" value=\"{link.Token}\"");
        }
    }

    [Fact]
    public async Task A_revoked_link_says_so_on_the_tablet_and_refuses_what_it_sends_which_the_tablet_holds()
    {
        var station = await app.AddKioskLinkAsync(demoId, "Station");
        var kiosk = new Kiosk(app.ClientFor("demo.localhost"));
        await kiosk.Client.GetAsync($"/k/{station.Token}");
        await kiosk.OpenAsync();

        await app.RevokeAsync(demoId, station);

        var form = await EventuallyAsync(() => kiosk.Client.GetAsync("/"), HttpStatusCode.Gone);
        var page = await form.Content.ReadAsStringAsync();
        page.ShouldContain("This kiosk link was revoked");
        page.ShouldContain("Ask your manager for a new kiosk link");
        page.ShouldNotContain("<form id=\"signup\"");
        page.ShouldContain("id=\"queue-panel\""); // staff can still see what the tablet holds
        var sent = await kiosk.SubmitAsync(Kiosk.Fields(("Command.KioskToken", station.Token)));
        sent.StatusCode.ShouldBe(HttpStatusCode.Gone);
        var rescanned = await kiosk.Client.GetAsync($"/k/{station.Token}?lang=nl");
        rescanned.StatusCode.ShouldBe(HttpStatusCode.Gone);
        (await rescanned.Content.ReadAsStringAsync()).ShouldContain("Deze kiosklink is ingetrokken");
        (await app.SendAsync("demo", new ListSignUpsQuery())).Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_made_up_or_another_store_s_link_is_not_found_and_takes_nothing()
    {
        var other = await app.AddStoreAsync("other", "Other Store");
        var theirs = await app.AddKioskLinkAsync(other, "Their Station");
        var kiosk = new Kiosk(app.ClientFor("demo.localhost"));

        foreach (var token in new[] { theirs.Token, KioskLinks.NewToken(), "short", new string('a', 5000) })
        {
            var opened = await kiosk.Client.GetAsync($"/k/{Uri.EscapeDataString(token)}");
            opened.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await opened.Content.ReadAsStringAsync()).ShouldContain("This kiosk link does not exist");
            opened.Headers.Contains("Set-Cookie").ShouldBeFalse();
        }

        await kiosk.OpenAsync();
        (await kiosk.SubmitAsync(Kiosk.Fields(("Command.KioskToken", theirs.Token)))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.SendAsync("demo", new ListSignUpsQuery())).Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_tampered_cookie_is_an_unknown_link_not_a_kiosk_without_a_store()
    {
        var client = app.ClientFor("demo.localhost");
        client.DefaultRequestHeaders.Add("Cookie", "ci_kiosk=tampered");

        var response = await client.GetAsync("/");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldContain("data-link-problem=\"unknown\"");
    }

    [Fact]
    public async Task A_closed_store_s_tablet_is_told_to_wait_like_a_closed_kiosk_and_opens_again_with_the_store()
    {
        var station = await app.AddKioskLinkAsync(demoId, "Station");
        var kiosk = new Kiosk(app.ClientFor("demo.localhost"));
        await kiosk.Client.GetAsync($"/k/{station.Token}");

        await app.CloseAsync(demoId, station);

        var closed = await EventuallyAsync(() => kiosk.Client.GetAsync("/"), HttpStatusCode.Forbidden);
        (await closed.Content.ReadAsStringAsync()).ShouldContain("This store is closed for sign-ups");
        await app.WriteStoreEventsAsync(demoId, station.StoreId, new Domain.Stores.StoreReopened(station.StoreId, DateTimeOffset.UtcNow));
        (await EventuallyAsync(() => kiosk.Client.GetAsync("/"), HttpStatusCode.OK)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_thank_you_page_of_a_link_goes_back_to_the_form_without_naming_the_link()
    {
        var station = await app.AddKioskLinkAsync(demoId, "Station");
        var kiosk = new Kiosk(app.ClientFor("demo.localhost"));
        await kiosk.Client.GetAsync($"/k/{station.Token}");

        var thanks = await AppFactory.ReadAsync(await kiosk.Client.GetAsync("/thanks?lang=nl"), HttpStatusCode.OK);

        HomeLink().Match(thanks).Groups[1].Value.ShouldBe("/?lang=nl");
        thanks.ShouldNotContain(station.Token);
    }

    private static async Task<HttpResponseMessage> EventuallyAsync(Func<Task<HttpResponseMessage>> send, HttpStatusCode expected)
    {
        var until = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var response = await send();
            if (response.StatusCode == expected || DateTime.UtcNow > until)
            {
                response.StatusCode.ShouldBe(expected);
                return response;
            }

            await Task.Delay(50);
        }
    }

    [GeneratedRegex("data-home=\"([^\"]*)\"")]
    private static partial Regex HomeLink();
}
