using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Seeding;

namespace CustomerInfo.FunctionalTests.SignUps;

public class NaughtyStringTests(SignUpApp app) : IClassFixture<SignUpApp>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("demo", "Demo Store");
        await app.SendAsync("demo", new PublishFormDefinitionCommand(DemoForm.Definition));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static readonly string[] Corpus =
        JsonSerializer.Deserialize<string[]>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "SignUps", "NaughtyStrings", "blns.json")))!;

    [Fact]
    public async Task Every_public_field_survives_the_naughty_strings_stored_safely_or_refused_with_a_message()
    {
        var kiosk = new Kiosk(app.ClientFor("demo.localhost"));
        await kiosk.OpenAsync();
        var accepted = 0;
        var failures = new List<string>();
        foreach (var naughty in Corpus.Append("\u202Eevil\u202C 👩‍👩‍👧 عربي").Append("\ud800 lone surrogate"))
        {
            // The names and free text with a valid email (stored when printable), then the checked fields.
            var names = Kiosk.Fields(
                ("Command.SubmissionId", Guid.NewGuid().ToString()), ("Command.FirstName", naughty), ("Command.LastName", naughty),
                ("Command.Answers[heard-from]", naughty), ("Command.PostalCode", null));
            var details = Kiosk.Fields(
                ("Command.SubmissionId", Guid.NewGuid().ToString()), ("Command.Email", naughty), ("Command.Phone", naughty), ("Command.PostalCode", naughty),
                ("Command.BirthdayDay", naughty), ("Command.BirthdayYear", naughty), ("Command.Language", naughty), ("Command.FormVersion", naughty), ("Command.Answers[interests]", naughty));
            foreach (var fields in new[] { names, details })
            {
                var response = await kiosk.SubmitAsync(fields);
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.Redirect)
                {
                    accepted++;
                }
                else if (response.StatusCode != HttpStatusCode.UnprocessableEntity || !body.Contains("class=\"error\"", StringComparison.Ordinal))
                {
                    failures.Add($"{(int)response.StatusCode} for {naughty}");
                }
                else if (naughty.Length >= 8 && naughty.Contains('<', StringComparison.Ordinal) && body.Contains(naughty, StringComparison.Ordinal))
                {
                    failures.Add($"not encoded: {naughty}");
                }
            }
        }

        failures.ShouldBeEmpty();
        accepted.ShouldBeGreaterThan(100);
        var stored = new List<SignUpSummary>();
        SignUpCursor? next = null;
        do
        {
            var page = await app.SendAsync("demo", new ListSignUpsQuery(next, ListSignUpsHandler.MaxPageSize));
            stored.AddRange(page.Items);
            next = page.Next;
        }
        while (next is not null);

        stored.Count.ShouldBe(accepted);
    }

    [Fact]
    public async Task A_naughty_kiosk_token_is_an_unknown_link_that_stores_nothing()
    {
        var kiosk = new Kiosk(app.ClientFor("demo.localhost"));
        await kiosk.OpenAsync();
        var failures = new List<string>();
        foreach (var naughty in Corpus.Where(n => !string.IsNullOrWhiteSpace(n)))
        {
            var response = await kiosk.SubmitAsync(Kiosk.Fields(("Command.SubmissionId", Guid.NewGuid().ToString()), ("Command.KioskToken", naughty)));
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.NotFound || !body.Contains("data-link-problem=\"unknown\"", StringComparison.Ordinal))
            {
                failures.Add($"{(int)response.StatusCode} for {naughty}");
            }
        }

        failures.ShouldBeEmpty();
        (await app.SendAsync("demo", new ListSignUpsQuery())).Items.ShouldBeEmpty();
    }
}

public sealed class StrictClientLimitApp : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("RateLimits:PerClientPerMinute", "2"), new("RateLimits:PerStorePerMinute", "100")];
}

public sealed class StrictStoreLimitApp : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("RateLimits:PerClientPerMinute", "100"), new("RateLimits:PerStorePerMinute", "2")];
}

public class ClientRateLimitTests(StrictClientLimitApp app) : IClassFixture<StrictClientLimitApp>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("demo", "Demo Store");
        await app.AddStoreAsync("other", "Other Store");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_client_that_posts_too_often_gets_the_friendly_429_page_even_at_another_store_while_forms_still_open()
    {
        var demo = new Kiosk(app.ClientFor("demo.localhost"));
        await demo.OpenAsync();
        (await demo.SubmitAsync(Kiosk.Fields(("Command.SubmissionId", Guid.NewGuid().ToString())))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await demo.SubmitAsync(Kiosk.Fields(("Command.SubmissionId", Guid.NewGuid().ToString())))).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var refused = await demo.SubmitAsync(Kiosk.Fields(("Command.SubmissionId", Guid.NewGuid().ToString())));
        var other = new Kiosk(app.ClientFor("other.localhost"));
        await other.OpenAsync();

        (await AppFactory.ReadAsync(refused, HttpStatusCode.TooManyRequests)).ShouldContain("Too many tries");
        refused.Headers.RetryAfter.ShouldNotBeNull();
        (await other.SubmitAsync(Kiosk.Fields(("Command.SubmissionId", Guid.NewGuid().ToString())))).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await app.SendAsync("demo", new ListSignUpsQuery())).Items.Count.ShouldBe(2);
    }
}

public class StoreRateLimitTests(StrictStoreLimitApp app) : IClassFixture<StrictStoreLimitApp>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("demo", "Demo Store");
        await app.AddStoreAsync("other", "Other Store");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_store_flooded_with_sign_ups_answers_429_while_other_stores_carry_on()
    {
        var demo = new Kiosk(app.ClientFor("demo.localhost"));
        await demo.OpenAsync();
        for (var i = 0; i < 2; i++)
        {
            (await demo.SubmitAsync(Kiosk.Fields(("Command.SubmissionId", Guid.NewGuid().ToString())))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }

        var refused = await demo.SubmitAsync(Kiosk.Fields(("Command.SubmissionId", Guid.NewGuid().ToString())));
        var other = new Kiosk(app.ClientFor("other.localhost"));
        await other.OpenAsync();

        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await other.SubmitAsync(Kiosk.Fields(("Command.SubmissionId", Guid.NewGuid().ToString())))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task A_store_s_admin_writes_are_counted_apart_from_its_kiosk_s_sign_ups()
    {
        var admin = app.ClientFor("demo.localhost");
        for (var i = 0; i < 2; i++)
        {
            (await admin.PostAsync("/admin/signin", new FormUrlEncodedContent([]))).StatusCode.ShouldNotBe(HttpStatusCode.TooManyRequests);
        }

        (await admin.PostAsync("/admin/signin", new FormUrlEncodedContent([]))).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        var demo = new Kiosk(app.ClientFor("demo.localhost"));
        await demo.OpenAsync();
        for (var i = 0; i < 2; i++)
        {
            (await demo.SubmitAsync(Kiosk.Fields(("Command.SubmissionId", Guid.NewGuid().ToString())))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }
    }
}

public partial class PageWeightTests(SignUpApp app) : IClassFixture<SignUpApp>, IAsyncLifetime
{
    private const int Budget = 30 * 1024;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("demo", "Demo Store");
        await app.SendAsync("demo", new PublishFormDefinitionCommand(DemoForm.Definition));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task The_whole_form_page_with_its_css_js_and_service_worker_is_at_most_30_KB_compressed(string encoding)
    {
        var client = app.ClientFor("demo.localhost");
        client.DefaultRequestHeaders.AcceptEncoding.ParseAdd(encoding);

        var page = await client.GetAsync("/");
        var html = await new Kiosk(app.ClientFor("demo.localhost")).OpenAsync();
        var assets = AssetPattern().Matches(html).Select(m => m.Groups[1].Value).Append("/sw.js").ToList();
        var total = (await page.Content.ReadAsByteArrayAsync()).Length;
        page.Content.Headers.ContentEncoding.ShouldBe([encoding]);
        foreach (var asset in assets)
        {
            var response = await client.GetAsync(asset);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, asset);
            response.Content.Headers.ContentEncoding.ShouldBe([encoding], asset);
            total += (await response.Content.ReadAsByteArrayAsync()).Length;
        }

        assets.Count.ShouldBe(4); // kiosk.css, queue-store.js, kiosk.js, sw.js
        total.ShouldBeLessThanOrEqualTo(Budget);
    }

    [Fact]
    public async Task Stylesheets_and_scripts_have_fingerprinted_addresses_cached_for_a_year()
    {
        var html = await new Kiosk(app.ClientFor("demo.localhost")).OpenAsync();
        var assets = AssetPattern().Matches(html).Select(m => m.Groups[1].Value).ToList();

        assets.ShouldAllBe(a => FingerprintPattern().IsMatch(a));
        foreach (var asset in assets)
        {
            var response = await app.ClientFor("demo.localhost").GetAsync(asset);
            response.Headers.CacheControl!.MaxAge.ShouldBe(TimeSpan.FromDays(365), asset);
            response.Headers.CacheControl.ToString().ShouldContain("immutable");
        }
    }

    [GeneratedRegex("(?:href|src)=\"(/(?:css|js)/[^\"]+)\"")]
    private static partial Regex AssetPattern();

    [GeneratedRegex(@"\.[a-z0-9]{8,}\.(css|js)$")]
    private static partial Regex FingerprintPattern();
}
