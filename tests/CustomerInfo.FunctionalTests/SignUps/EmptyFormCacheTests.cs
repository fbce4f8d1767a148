using System.IO.Compression;
using System.Net;
using System.Text;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Seeding;

namespace CustomerInfo.FunctionalTests.SignUps;

/// <summary>The kept empty form: every shopper still gets their own submission id and a token that works, and nothing else leaks between forms.</summary>
public class EmptyFormCacheTests(SignUpApp app) : IClassFixture<SignUpApp>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("demo", "Demo Store");
        await app.AddStoreAsync("other", "Other Shop");
        await app.SendAsync("demo", new PublishFormDefinitionCommand(DemoForm.Definition));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<int> StoredAsync(string store = "demo") => (await app.SendAsync(store, new ListSignUpsQuery())).Items.Count;

    [Fact]
    public async Task Every_form_served_from_the_kept_page_has_its_own_submission_id_and_a_working_token()
    {
        var kiosks = Enumerable.Range(0, 3).Select(_ => new Kiosk(app.ClientFor("demo.localhost"))).ToList();
        foreach (var kiosk in kiosks)
        {
            await kiosk.OpenAsync();
        }

        kiosks.Select(k => k.SubmissionId).Distinct().Count().ShouldBe(3);
        kiosks.Select(k => Guid.TryParse(k.SubmissionId, out var id) && id != Guid.Empty).ShouldAllBe(valid => valid);
        // Apart from the two per-request values, the pages are the same page.
        kiosks.Select(k => k.Html.Replace(k.SubmissionId, "", StringComparison.Ordinal).Replace(k.Token, "", StringComparison.Ordinal)).Distinct().Count().ShouldBe(1);

        for (var i = 0; i < kiosks.Count; i++)
        {
            var response = await kiosks[i].SubmitAsync(Kiosk.Fields(("Command.Email", $"shopper{i}@example.com")));
            response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }

        (await StoredAsync()).ShouldBe(3);
    }

    [Fact]
    public async Task A_browser_that_takes_gzip_gets_the_kept_page_compressed_and_its_sign_up_is_stored()
    {
        var plain = new Kiosk(app.ClientFor("demo.localhost"));
        await plain.OpenAsync();
        await plain.OpenAsync(); // served from the kept page

        var client = app.ClientFor("demo.localhost");
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br, zstd");
        var response = await client.GetAsync("/");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentEncoding.ShouldBe(["gzip"]);
        response.Headers.Vary.ShouldContain("Accept-Encoding");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var body = await response.Content.ReadAsByteArrayAsync();
        response.Content.Headers.ContentLength.ShouldBe(body.Length);
        await using var gunzip = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
        var html = await new StreamReader(gunzip, Encoding.UTF8).ReadToEndAsync();
        var token = Forms.AntiforgeryToken(html);
        var id = Kiosk.SubmissionIdPattern().Match(html).Groups[1].Value;
        html.Replace(token, "", StringComparison.Ordinal).Replace(id, "", StringComparison.Ordinal)
            .ShouldBe(plain.Html.Replace(plain.Token, "", StringComparison.Ordinal).Replace(plain.SubmissionId, "", StringComparison.Ordinal));
        id.ShouldNotBe(plain.SubmissionId);

        var shopper = new List<KeyValuePair<string, string>>(Kiosk.Fields()) { new("Command.SubmissionId", id), new("__RequestVerificationToken", token) };
        (await client.PostAsync("/", Kiosk.Encoded(shopper))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await StoredAsync()).ShouldBe(1);
    }

    /// <summary>The kept page is sent before MVC runs (ADR 32): it must carry the headers the rendered page has.</summary>
    [Theory]
    [InlineData("gzip")]
    [InlineData("identity")]
    public async Task The_kept_page_has_the_headers_of_the_rendered_page(string encoding)
    {
        var client = app.ClientFor("demo.localhost");
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Encoding", encoding);
        using var rendered = await client.GetAsync("/");
        using var kept = await client.GetAsync("/");
        using var reused = await client.GetAsync("/"); // the token this tablet's cookie was given before

        rendered.StatusCode.ShouldBe(HttpStatusCode.OK);
        kept.StatusCode.ShouldBe(HttpStatusCode.OK);
        Headers(kept).ShouldBe(Headers(rendered));
        Headers(reused).ShouldBe(Headers(rendered));
        kept.Headers.CacheControl!.NoStore.ShouldBeTrue();
        kept.Headers.Pragma.ToString().ShouldBe("no-cache");
        kept.Content.Headers.ContentType!.ToString().ShouldBe("text/html; charset=utf-8");
        kept.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        // Each response has its own script nonce; the rest of the policy is the page's.
        WithoutNonce(kept.Headers.GetValues("Content-Security-Policy").Single()).ShouldBe(WithoutNonce(rendered.Headers.GetValues("Content-Security-Policy").Single()));

        static string WithoutNonce(string policy) => System.Text.RegularExpressions.Regex.Replace(policy, "'nonce-[^']*'", "'nonce'");

        // Names, with the values that must not differ; the kept gzip page has a length, the rendered one is chunked.
        static string[] Headers(HttpResponseMessage response) =>
        [
            .. response.Headers.Concat(response.Content.Headers)
                .Where(h => h.Key is not ("Date" or "Content-Security-Policy" or "Set-Cookie" or "Content-Length" or "Transfer-Encoding"))
                .Select(h => $"{h.Key}: {string.Join(",", h.Value)}")
                .Order(StringComparer.Ordinal),
        ];
    }

    [Fact]
    public async Task A_tablet_without_the_antiforgery_cookie_gets_one_with_the_kept_page()
    {
        var warm = new Kiosk(app.ClientFor("demo.localhost"));
        await warm.OpenAsync();

        // A new client: no cookie yet, and the page is kept.
        var client = app.ClientFor("demo.localhost");
        using var kept = await client.GetAsync("/");
        kept.Headers.GetValues("Set-Cookie").ShouldContain(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        var kiosk = new Kiosk(client);
        await kiosk.OpenAsync();
        (await kiosk.SubmitAsync(Kiosk.Fields())).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task One_kiosk_opening_the_form_again_and_again_gets_a_new_submission_id_each_time()
    {
        var kiosk = new Kiosk(app.ClientFor("demo.localhost"));
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await kiosk.OpenAsync();
            ids.Add(kiosk.SubmissionId);
        }

        ids.Distinct().Count().ShouldBe(3);
        (await kiosk.SubmitAsync(Kiosk.Fields())).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task A_newly_published_form_is_shown_at_once()
    {
        var kiosk = new Kiosk(app.ClientFor("demo.localhost"));
        (await kiosk.OpenAsync()).ShouldContain("Join Demo Store");

        var changed = DemoForm.Definition with
        {
            Branding = DemoForm.Definition.Branding with
            {
                Welcome = new(new Dictionary<string, string> { ["en"] = "Welcome to the new form", ["nl"] = "Welkom bij het nieuwe formulier" }),
            },
        };
        await app.SendAsync("demo", new PublishFormDefinitionCommand(changed));

        var html = await kiosk.OpenAsync();
        html.ShouldContain("Welcome to the new form");
        html.ShouldContain("name=\"Command.FormVersion\" value=\"2\"");
    }

    [Fact]
    public async Task Each_store_and_each_language_keeps_its_own_page()
    {
        var demo = await new Kiosk(app.ClientFor("demo.localhost")).OpenAsync("/?lang=nl");
        var demoEnglish = await new Kiosk(app.ClientFor("demo.localhost")).OpenAsync("/?lang=en");
        var other = await new Kiosk(app.ClientFor("other.localhost")).OpenAsync("/?lang=nl");

        demo.ShouldContain("Meld je aan bij Demo Store");
        demoEnglish.ShouldContain("Join Demo Store");
        other.ShouldContain("Other Shop");
        other.ShouldNotContain("Demo Store");
    }

    [Fact]
    public async Task What_a_shopper_typed_is_never_kept_for_the_next_one()
    {
        var first = new Kiosk(app.ClientFor("demo.localhost"));
        await first.OpenAsync();
        var refused = await first.SubmitAsync(Kiosk.Fields(("Command.FirstName", "Zyxwvu"), ("Command.Email", "not-an-email")));
        (await AppFactory.ReadAsync(refused, HttpStatusCode.UnprocessableEntity)).ShouldContain("Zyxwvu");

        var next = await new Kiosk(app.ClientFor("demo.localhost")).OpenAsync();

        next.ShouldNotContain("Zyxwvu");
        next.ShouldNotContain("not-an-email");
        (await StoredAsync()).ShouldBe(0);
    }
}
