using System.Net;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.FunctionalTests.SignUps;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Seeding;

namespace CustomerInfo.FunctionalTests.Localization;

/// <summary>
/// The pages a shopper may meet instead of the form speak their language: <c>?lang=</c>, else the
/// store's default language, else the browser's Accept-Language, else English.
/// </summary>
public static class StatusPages
{
    /// <summary>Stores "demo" (English) and "dutch" (Dutch by default), open; "closed" and "gesloten" the same, suspended.</summary>
    public static async Task ArrangeStoresAsync(AppFactory app)
    {
        await app.ResetAsync();
        await app.AddStoreAsync("demo", "Demo Store");
        await app.AddStoreAsync("dutch", "Dutch Store");
        await app.AddStoreAsync("closed", "Closed Shop", TenantStatus.Suspended);
        await app.AddStoreAsync("gesloten", "Gesloten Winkel", TenantStatus.Suspended);
        await app.SendAsync("demo", new PublishFormDefinitionCommand(DemoForm.Definition));
        await app.SendAsync("dutch", new PublishFormDefinitionCommand(DemoForm.Definition with { DefaultLanguage = "nl" }));
        await app.SendAsync("gesloten", new PublishFormDefinitionCommand(DemoForm.Definition with { DefaultLanguage = "nl" }));
    }

    public static async Task<HttpResponseMessage> GetAsync(AppFactory app, string host, string path, string? acceptLanguage)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        return await app.ClientFor(host).SendAsync(request);
    }

    /// <summary>The page is wholly in <paramref name="language"/>: its lang attribute, <paramref name="heading"/> and the footer.</summary>
    public static async Task ShouldSpeakAsync(HttpResponseMessage response, HttpStatusCode status, string language, string heading, string? footer = null)
    {
        var html = await AppFactory.ReadAsync(response, status);
        html.ShouldContain($"<html lang=\"{language}\">");
        html.ShouldContain(heading);
        if (footer is not null)
        {
            html.ShouldContain(footer);
        }

        if (language == "nl")
        {
            foreach (var english in new[] { "There is no store", "Sign-up is unavailable", "Too much data", "Too many tries", "Page not found", "powered by", "Go to the start page" })
            {
                html.ShouldNotContain(english);
            }
        }
    }
}

public class StatusPageLanguageTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private const string NoStoreEnglish = "There is no store at this address";
    private const string NoStoreDutch = "Op dit adres is geen winkel";
    private const string UnavailableEnglish = "Sign-up is unavailable here";
    private const string UnavailableDutch = "Aanmelden is hier niet mogelijk";

    public Task InitializeAsync() => StatusPages.ArrangeStoresAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("/", null, "en")]
    [InlineData("/?lang=nl", null, "nl")]
    [InlineData("/", "nl-NL,nl;q=0.9,en;q=0.8", "nl")]
    [InlineData("/", "de-DE, en;q=0.5, nl;q=0.7", "nl")]
    [InlineData("/", "de-DE, nl;q=0", "en")]
    [InlineData("/", "fr-FR", "en")]
    [InlineData("/?lang=en", "nl", "en")]
    [InlineData("/?lang=xx", "nl", "nl")]
    [InlineData("/", "garbage;;q=abc,,", "en")]
    public async Task The_no_store_here_page_speaks_the_language_asked_for_else_the_browser_s_else_english(string path, string? acceptLanguage, string expected)
    {
        var response = await StatusPages.GetAsync(app, "nowhere.localhost", path, acceptLanguage);

        await StatusPages.ShouldSpeakAsync(response, HttpStatusCode.NotFound, expected, expected == "nl" ? NoStoreDutch : NoStoreEnglish);
    }

    [Fact]
    public async Task A_post_to_no_store_keeps_the_language_of_its_address()
    {
        var response = await app.ClientFor("nowhere.localhost").PostAsync("/?lang=nl", new FormUrlEncodedContent([new("Command.Email", "a@b.c")]));

        await StatusPages.ShouldSpeakAsync(response, HttpStatusCode.NotFound, "nl", NoStoreDutch);
    }

    [Theory]
    [InlineData("closed", "/", "nl", "en")]
    [InlineData("closed", "/?lang=nl", null, "nl")]
    [InlineData("gesloten", "/", null, "nl")]
    [InlineData("gesloten", "/", "en-GB", "nl")]
    [InlineData("gesloten", "/?lang=en", "nl", "en")]
    public async Task The_unavailable_page_speaks_the_language_asked_for_else_the_store_s_own_before_the_browser_s(string store, string path, string? acceptLanguage, string expected)
    {
        var response = await StatusPages.GetAsync(app, $"{store}.localhost", path, acceptLanguage);

        var html = await response.Content.ReadAsStringAsync();
        html.ShouldNotContain("Closed Shop");
        html.ShouldNotContain("Gesloten Winkel");
        await StatusPages.ShouldSpeakAsync(response, HttpStatusCode.Forbidden, expected, expected == "nl" ? UnavailableDutch : UnavailableEnglish);
    }

    [Theory]
    [InlineData("demo", "/no-such-page?lang=nl", null, "nl", "Pagina niet gevonden", "Aanmelden via CustomerInfo")]
    [InlineData("dutch", "/no-such-page", "en", "nl", "Pagina niet gevonden", "Aanmelden via CustomerInfo")]
    [InlineData("demo", "/no-such-page", "nl", "en", "Page not found", "Sign-up powered by CustomerInfo")]
    public async Task A_store_s_page_not_found_speaks_the_store_s_language(string store, string path, string? acceptLanguage, string expected, string heading, string footer)
    {
        var response = await StatusPages.GetAsync(app, $"{store}.localhost", path, acceptLanguage);

        await StatusPages.ShouldSpeakAsync(response, HttpStatusCode.NotFound, expected, heading, footer);
    }

    [Theory]
    [InlineData("/status/429", "nl", "nl", "Te veel pogingen")]
    [InlineData("/status/413?lang=nl", null, "nl", "Te veel gegevens")]
    [InlineData("/status/413", null, "en", "Too much data")]
    public async Task A_status_page_on_the_platform_follows_the_browser(string path, string? acceptLanguage, string expected, string heading)
    {
        var response = await StatusPages.GetAsync(app, "localhost", path, acceptLanguage);

        await StatusPages.ShouldSpeakAsync(response, (HttpStatusCode)int.Parse(path[8..11], System.Globalization.CultureInfo.InvariantCulture), expected, heading);
    }

    [Fact]
    public async Task The_landing_page_and_the_other_platform_pages_stay_english()
    {
        var html = await AppFactory.ReadAsync(await StatusPages.GetAsync(app, "localhost", "/?lang=nl", "nl"), HttpStatusCode.OK);

        html.ShouldContain("<html lang=\"en\">");
        html.ShouldContain("in-store sign-ups that reach your CRM.");
    }

    [Theory]
    [InlineData("demo", "/?lang=nl", "nl", "Te veel gegevens")]
    [InlineData("demo", "/", "en", "Too much data")]
    [InlineData("dutch", "/", "nl", "Te veel gegevens")]
    [InlineData("dutch", "/?lang=en", "en", "Too much data")]
    public async Task A_sign_up_too_large_to_take_is_refused_in_the_language_of_the_form(string store, string path, string expected, string heading)
    {
        var body = Kiosk.Encoded(Kiosk.Fields(("Command.Answers[heard-from]", new string('x', 70_000))));

        var response = await app.ClientFor($"{store}.localhost").PostAsync(path, body);

        await StatusPages.ShouldSpeakAsync(response, HttpStatusCode.RequestEntityTooLarge, expected, heading);
    }
}

public sealed class OnePostPerMinuteApp : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("RateLimits:PerClientPerMinute", "1"), new("RateLimits:PerStorePerMinute", "100")];
}

public class RateLimitedPageLanguageTests(OnePostPerMinuteApp app) : IClassFixture<OnePostPerMinuteApp>, IAsyncLifetime
{
    public Task InitializeAsync() => StatusPages.ArrangeStoresAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("demo", "/?lang=nl", "nl", "Te veel pogingen")]
    [InlineData("demo", "/", "en", "Too many tries")]
    [InlineData("dutch", "/", "nl", "Te veel pogingen")]
    [InlineData("dutch", "/?lang=en", "en", "Too many tries")]
    public async Task Too_many_sign_ups_are_refused_in_the_language_of_the_form(string store, string path, string expected, string heading)
    {
        // One post a minute from this client: the first of the class may pass (then fails its
        // antiforgery check), every later one is refused.
        var client = app.ClientFor($"{store}.localhost");
        HttpResponseMessage response;
        var tries = 0;
        do
        {
            response = await client.PostAsync(path, new FormUrlEncodedContent([new("Command.Email", "a@b.c")]));
        }
        while (response.StatusCode != HttpStatusCode.TooManyRequests && ++tries < 3);

        await StatusPages.ShouldSpeakAsync(response, HttpStatusCode.TooManyRequests, expected, heading);
    }
}
