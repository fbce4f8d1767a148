using System.Net;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Seeding;

namespace CustomerInfo.FunctionalTests.SignUps;

/// <summary>The app with rate limits high enough that only the rate-limit tests ever meet them.</summary>
public sealed class SignUpApp : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("RateLimits:PerClientPerMinute", "100000"), new("RateLimits:PerStorePerMinute", "100000")];
}

public class SignUpFormTests(SignUpApp app) : IClassFixture<SignUpApp>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("demo", "Demo Store");
        await app.AddStoreAsync("closed", "Closed Shop", TenantStatus.Suspended);
        await app.SendAsync("demo", new PublishFormDefinitionCommand(DemoForm.Definition));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Kiosk Demo() => new(app.ClientFor("demo.localhost"));

    private async Task<int> StoredAsync(string store = "demo") => (await app.SendAsync(store, new ListSignUpsQuery())).Items.Count;

    [Fact]
    public async Task The_form_shows_the_store_s_fields_in_order_with_the_right_keyboards_and_unticked_consents()
    {
        var html = await Demo().OpenAsync();

        html.ShouldContain("Join Demo Store and be the first to hear about offers and news.");
        html.IndexOf("First name", StringComparison.Ordinal).ShouldBeLessThan(html.IndexOf("Which shop do you visit most?", StringComparison.Ordinal));
        html.ShouldContain("name=\"Command.Email\" type=\"email\" inputmode=\"email\"");
        html.ShouldContain("name=\"Command.Phone\" type=\"tel\" inputmode=\"tel\"");
        html.ShouldContain("name=\"Command.BirthdayDay\" type=\"text\" inputmode=\"numeric\"");
        html.ShouldContain("name=\"Command.Answers[interests]\" value=\"home\"");
        html.ShouldContain(WebUtility.HtmlEncode(DemoForm.Definition.EmailConsent.In("en")));
        html.ShouldContain(WebUtility.HtmlEncode(DemoForm.Definition.SmsConsent.In("en")));
        html.ShouldNotContain("checked");
        html.ShouldContain("<form id=\"signup\" class=\"card\" method=\"post\" action=\"/?lang=en\" novalidate autocomplete=\"off\"");
        html.ShouldContain("--brand:#1f5f8b");
    }

    [Fact]
    public async Task A_valid_sign_up_redirects_to_the_thank_you_page_and_is_stored_once()
    {
        var kiosk = Demo();
        await kiosk.OpenAsync();

        var response = await kiosk.SubmitAsync(Kiosk.Fields(("Command.Answers[interests]", "women"), ("Command.FilledAt", DateTimeOffset.UtcNow.AddMinutes(-3).ToString("O"))));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldBe("/thanks?lang=en");
        var thanks = await AppFactory.ReadAsync(await kiosk.Client.GetAsync(response.Headers.Location), HttpStatusCode.OK);
        thanks.ShouldContain("Thank you! You&#x27;re signed up.");
        thanks.ShouldContain("<meta http-equiv=\"refresh\" content=\"8;url=/?lang=en\">");
        var stored = (await app.SendAsync("demo", new ListSignUpsQuery())).Items.ShouldHaveSingleItem();
        stored.Email.ShouldBe("ann@example.com");
        stored.Id.ToString().ShouldBe(kiosk.SubmissionId);
    }

    [Fact]
    public async Task Resubmitting_the_same_form_shows_the_same_thank_you_and_stores_nothing_new()
    {
        var kiosk = Demo();
        await kiosk.OpenAsync();

        var first = await kiosk.SubmitAsync(Kiosk.Fields());
        var again = await kiosk.SubmitAsync(Kiosk.Fields(("Command.FirstName", "Someone else")));

        again.StatusCode.ShouldBe(first.StatusCode);
        again.Headers.Location.ShouldBe(first.Headers.Location);
        (await StoredAsync()).ShouldBe(1);
    }

    [Theory]
    [InlineData("Command.FirstName", "", "Enter your first name.", "first-name")]
    [InlineData("Command.FirstName", "10,000 characters", "Keep this to 100 characters.", "first-name")]
    [InlineData("Command.Email", "ann@gmail", "Enter an email address like name@example.com.", "email")]
    [InlineData("Command.Email", "", "Enter your email address.", "email")]
    [InlineData("Command.Phone", "12", "Enter a phone number we can reach", "phone")]
    [InlineData("Command.BirthdayDay", "31", "Enter a date that exists, like 14 March.", "birthday")]
    [InlineData("Command.BirthdayDay", "abc", "We could not read this. Please check it.", "birthday")]
    [InlineData("Command.PostalCode", "<b>1012</b>", "Enter a postal code of letters and digits, like 1012 AB.", "postal-code")]
    [InlineData("Command.Answers[favourite-shop]", "moon", "Choose one of the options shown.", "q1")]
    [InlineData("Command.Answers[heard-from]", "\u0007bell", "Keep your answer to 500 characters of text.", "q4")]
    public async Task An_invalid_field_is_shown_again_with_its_error_beside_it_and_nothing_is_stored(string field, string value, string message, string id)
    {
        var kiosk = Demo();
        await kiosk.OpenAsync();
        var fields = Kiosk.Fields((field, value == "10,000 characters" ? new string('n', 10_000) : value));
        if (field == "Command.BirthdayDay")
        {
            fields.Add(new("Command.BirthdayMonth", "4"));
            fields.RemoveAll(f => f.Key == "Command.BirthdayMonth" && f.Value == "3");
        }

        var html = await AppFactory.ReadAsync(await kiosk.SubmitAsync(fields), HttpStatusCode.UnprocessableEntity);

        html.ShouldContain(WebUtility.HtmlEncode(message));
        html.ShouldContain($"id=\"{id}-error\"");
        html.ShouldContain($"aria-describedby=\"{id}-error\"");
        html.ShouldContain("aria-invalid=\"true\"");
        html.ShouldContain("Please check the");
        html.ShouldContain("value=\"de Vries\"");
        html.ShouldContain($"name=\"Command.SubmissionId\" value=\"{kiosk.SubmissionId}\"");
        (await StoredAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task A_form_in_dutch_speaks_dutch_including_its_errors()
    {
        var kiosk = Demo();
        var html = await kiosk.OpenAsync("/?lang=nl");
        html.ShouldContain("<html lang=\"nl\">");
        html.ShouldContain("Voornaam");
        html.ShouldContain("Meld je aan bij Demo Store");

        var response = await kiosk.SubmitAsync(Kiosk.Fields(("Command.Language", "nl"), ("Command.Email", "ann@")), "/?lang=nl");

        var again = await AppFactory.ReadAsync(response, HttpStatusCode.UnprocessableEntity);
        again.ShouldContain("Vul een e-mailadres in zoals naam@voorbeeld.nl.");
        again.ShouldContain("Controleer het antwoord hieronder.");
    }

    [Fact]
    public async Task A_store_whose_default_is_dutch_opens_in_dutch_and_the_shopper_can_switch()
    {
        await app.SendAsync("demo", new PublishFormDefinitionCommand(DemoForm.Definition with { DefaultLanguage = "nl" }));

        var dutch = await Demo().OpenAsync();
        var english = await Demo().OpenAsync("/?lang=en");

        dutch.ShouldContain("Aanmelden");
        dutch.ShouldContain("<a href=\"/?lang=en\" hreflang=\"en\" lang=\"en\">English</a>");
        english.ShouldContain("Sign up");
    }

    [Fact]
    public async Task A_filled_honeypot_gets_the_normal_thank_you_and_stores_nothing()
    {
        var kiosk = Demo();
        await kiosk.OpenAsync();

        var response = await kiosk.SubmitAsync(Kiosk.Fields(("website", "http://spam.example")));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldBe("/thanks?lang=en");
        (await StoredAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused_and_stores_nothing()
    {
        var kiosk = Demo();
        await kiosk.OpenAsync();

        var response = await kiosk.SubmitAsync(Kiosk.Fields(("__RequestVerificationToken", "")));

        (await AppFactory.ReadAsync(response, HttpStatusCode.BadRequest)).ShouldContain("That request was not understood");
        (await StoredAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task A_post_to_a_closed_store_shows_the_unavailable_page_and_stores_nothing()
    {
        var response = await app.ClientFor("closed.localhost").PostAsync("/", Kiosk.Encoded(Kiosk.Fields(("Command.SubmissionId", Guid.NewGuid().ToString()))));

        (await AppFactory.ReadAsync(response, HttpStatusCode.Forbidden)).ShouldContain("Sign-up is unavailable here");
        (await StoredAsync("closed")).ShouldBe(0);
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_the_friendly_413_page()
    {
        var kiosk = Demo();
        await kiosk.OpenAsync();

        var response = await kiosk.SubmitAsync(Kiosk.Fields(("Command.Answers[heard-from]", new string('x', 70_000))));

        (await AppFactory.ReadAsync(response, HttpStatusCode.RequestEntityTooLarge)).ShouldContain("Too much data");
        (await StoredAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task A_forged_submission_id_or_a_question_that_no_longer_exists_never_fails_the_request()
    {
        var kiosk = Demo();
        await kiosk.OpenAsync();

        var forged = await kiosk.SubmitAsync(Kiosk.Fields(("Command.SubmissionId", "'; drop table x; --")));
        var gone = await kiosk.SubmitAsync(Kiosk.Fields(("Command.Answers[no-longer-asked]", "x"), ("Command.FormVersion", "999")));

        (await AppFactory.ReadAsync(forged, HttpStatusCode.UnprocessableEntity)).ShouldContain("We could not read this. Please check it.");
        gone.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await StoredAsync()).ShouldBe(1);
    }

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("{00000000-0000-0000-0000-000000000000}")]
    [InlineData("00000000000000000000000000000000")]
    [InlineData("(00000000-0000-0000-0000-000000000000)")]
    [InlineData("{0x00000000,0x0000,0x0000,{0x00,0x00,0x00,0x00,0x00,0x00,0x00,0x00}}")]
    public async Task An_empty_submission_id_is_refused_with_a_reason_and_a_fresh_id_to_send_again(string empty)
    {
        var kiosk = Demo();
        await kiosk.OpenAsync();

        var refused = await kiosk.SubmitAsync(Kiosk.Fields(("Command.SubmissionId", empty)));

        var html = await AppFactory.ReadAsync(refused, HttpStatusCode.UnprocessableEntity);
        html.ShouldContain("This form has expired. Please fill it in again.");
        html.ShouldContain("value=\"de Vries\"");
        html.ShouldNotContain("value=\"00000000-0000-0000-0000-000000000000\"");
        var fresh = System.Text.RegularExpressions.Regex.Match(html, "name=\"Command.SubmissionId\" value=\"([^\"]+)\"").Groups[1].Value;
        Guid.Parse(fresh).ShouldNotBe(Guid.Empty);
        (await kiosk.SubmitAsync(Kiosk.Fields(("Command.SubmissionId", fresh)))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await StoredAsync()).ShouldBe(1);
    }

    [Theory]
    [InlineData("Command.FormVersion", "-1")]
    [InlineData("Command.FormVersion", "0")]
    [InlineData("Command.FormVersion", "2147483647")]
    [InlineData("Command.FormVersion", "99999999999")]
    [InlineData("Command.FilledAt", "0001-01-01T00:00:00+00:00")]
    [InlineData("Command.FilledAt", "0001-01-01T00:00:00+14:00")]
    [InlineData("Command.FilledAt", "9999-12-31T23:59:59-14:00")]
    [InlineData("Command.FilledAt", "9999-12-31T23:59:59.9999999+00:00")]
    [InlineData("Command.FilledAt", "not a time")]
    [InlineData("Command.BirthdayYear", "-2147483648")]
    [InlineData("Command.BirthdayYear", "0")]
    [InlineData("Command.BirthdayDay", "2147483647")]
    [InlineData("Command.BirthdayMonth", "-1")]
    [InlineData("Command.EmailConsent", "maybe")]
    [InlineData("Command.Language", "")]
    [InlineData("Command.KioskToken", "")]
    [InlineData("Command.Answers", "x")]
    [InlineData("Command.Answers[]", "x")]
    [InlineData("Command.Answers[interests][0]", "x")]
    [InlineData("Command", "x")]
    [InlineData("Command.SubmissionId", "")]
    [InlineData("Command.SubmissionId", "ffffffff-ffff-ffff-ffff-ffffffffffff")]
    public async Task A_malformed_value_gets_a_clear_answer_never_a_server_error(string field, string value)
    {
        var kiosk = Demo();
        await kiosk.OpenAsync();

        var response = await kiosk.SubmitAsync(Kiosk.Fields((field, value)));

        response.StatusCode.ShouldBeOneOf(HttpStatusCode.Redirect, HttpStatusCode.UnprocessableEntity);
        if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            (await response.Content.ReadAsStringAsync()).ShouldContain("class=\"summary\" role=\"alert\"");
        }
    }

    [Theory]
    [InlineData("en", "\u200B\u200B\u200B", "Enter your first name.")]
    [InlineData("nl", "\u200B\uFEFF\u2060", "Vul je voornaam in.")]
    [InlineData("en", " \u202E\u202C ", "Enter your first name.")]
    public async Task A_name_of_only_invisible_characters_is_missing(string language, string name, string message)
    {
        var kiosk = Demo();
        await kiosk.OpenAsync($"/?lang={language}");

        var response = await kiosk.SubmitAsync(Kiosk.Fields(("Command.Language", language), ("Command.FirstName", name)), $"/?lang={language}");

        (await AppFactory.ReadAsync(response, HttpStatusCode.UnprocessableEntity)).ShouldContain(WebUtility.HtmlEncode(message));
        (await StoredAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Bidi_overrides_and_zero_width_characters_are_not_stored_and_the_email_s_domain_is_lower_cased()
    {
        var kiosk = Demo();
        await kiosk.OpenAsync();

        var response = await kiosk.SubmitAsync(Kiosk.Fields(
            ("Command.FirstName", "\u202EAnn\u202C"), ("Command.LastName", "de\u200B Vries\u2066"), ("Command.Email", " Ann\u200B@Exa\u200Dmple.COM\uFEFF ")));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var stored = (await app.SendAsync("demo", new ListSignUpsQuery())).Items.ShouldHaveSingleItem();
        (stored.FirstName, stored.LastName, stored.Email).ShouldBe(("Ann", "de Vries", "Ann@example.com"));
    }

    [Theory]
    [InlineData("en", "Command.FirstName", "%FF", "%FF", "This contains characters that cannot be shown. Please type it again.")]
    [InlineData("en", "Command.FirstName", "Ann%C3%28", "%C3", "This contains characters that cannot be shown. Please type it again.")]
    [InlineData("nl", "Command.LastName", "de%E2%82Vries", "%E2%82", "Hierin staan tekens die niet getoond kunnen worden. Typ het opnieuw.")]
    [InlineData("en", "Command.Email", "ann%FF%40example.com", "%FF", "Enter an email address like name@example.com.")]
    [InlineData("en", "Command.Answers%5Bheard-from%5D", "radio%ED%A0%80", "%ED%A0%80", "Keep your answer to 500 characters of text.")]
    public async Task Invalid_utf8_in_a_field_is_refused_with_a_message_not_stored_as_escape_text(string language, string field, string raw, string undecoded, string message)
    {
        var kiosk = Demo();
        await kiosk.OpenAsync($"/?lang={language}");
        var name = Uri.UnescapeDataString(field);
        var fields = Kiosk.Fields(("Command.Language", language), (name, null), ("Command.SubmissionId", kiosk.SubmissionId), ("__RequestVerificationToken", kiosk.Token));
        var body = await Kiosk.Encoded(fields).ReadAsStringAsync() + $"&{field}={raw}";
        using var content = new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes(body));
        content.Headers.ContentType = new("application/x-www-form-urlencoded");

        var response = await kiosk.Client.PostAsync($"/?lang={language}", content);

        var html = await AppFactory.ReadAsync(response, HttpStatusCode.UnprocessableEntity);
        html.ShouldContain(WebUtility.HtmlEncode(message));
        html.ShouldNotContain(undecoded);
        (await StoredAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Neither_the_form_nor_the_thank_you_page_may_be_kept_by_the_browser()
    {
        var client = app.ClientFor("demo.localhost");
        foreach (var path in new[] { "/", "/thanks", "/?handler=token" })
        {
            var response = await client.GetAsync(path);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            response.Headers.CacheControl!.NoStore.ShouldBeTrue(path);
        }
    }

    [Fact]
    public async Task The_offline_queue_can_fetch_a_fresh_antiforgery_token_that_a_post_accepts()
    {
        var kiosk = Demo();
        await kiosk.OpenAsync();
        var fresh = new Kiosk(app.ClientFor("demo.localhost"));
        var json = await AppFactory.ReadAsync(await fresh.Client.GetAsync("/?handler=token"), HttpStatusCode.OK);
        var token = System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("token").GetString()!;

        var response = await fresh.Client.PostAsync("/", Kiosk.Encoded(Kiosk.Fields(("Command.SubmissionId", kiosk.SubmissionId), ("__RequestVerificationToken", token))));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await StoredAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task The_store_s_colours_and_logo_are_used_and_the_text_on_a_light_colour_turns_dark()
    {
        await app.SendAsync("demo", new PublishFormDefinitionCommand(DemoForm.Definition with
        {
            Branding = DemoForm.Definition.Branding with { PrimaryColor = "#FFD400", BackgroundColor = "#FFF8D6", Logo = new BrandLogo("c0ffee", 120, 48) },
        }));

        var html = await Demo().OpenAsync();

        html.ShouldContain(":root{--brand:#ffd400;--on-brand:#17202b;--bg:#fff8d6}");
        html.ShouldContain("<img class=\"logo\" src=\"/brand/logo/c0ffee\" width=\"120\" height=\"48\" alt=\"Demo Store\">");
    }
}
