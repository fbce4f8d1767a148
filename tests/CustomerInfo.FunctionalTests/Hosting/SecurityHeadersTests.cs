using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Tenancy;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CustomerInfo.FunctionalTests.Hosting;

/// <summary>Issue 14 §2: the same security headers on every response, whatever produced it.</summary>
public partial class SecurityHeadersTests(AppBehindTheIngress app, ITestOutputHelper output) : IClassFixture<AppBehindTheIngress>, IAsyncLifetime
{
    private const string Store = "headers";
    private const string ManagerEmail = "owner@headers.test";

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync(Store, "Headers Store");
        await app.AddMemberAsync(Store, ManagerEmail, TeamRole.Owner);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Every GET Razor page the app maps, found from its endpoints, so a new page is covered without a new line here.</summary>
    private IEnumerable<(Site? Site, string Path)> RazorPages() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .Select(e => (e.Metadata.GetMetadata<SiteAttribute>()?.Site, Path: PathOf(e.RoutePattern.RawText ?? "")))
            .Distinct();

    /// <summary>A route's path with every parameter filled in (an id that exists nowhere: the answer is then the 404 page).</summary>
    private static string PathOf(string pattern) =>
        "/" + RouteParameter().Replace(pattern, _ => "6f9619ff-8b86-4d11-b42d-00c04fc964ff").TrimEnd('/');

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex RouteParameter();

    [Fact]
    public async Task Every_page_static_file_probe_error_and_not_found_answer_carries_every_header()
    {
        var anonymousPlatform = app.ClientFor("localhost");
        var anonymousStore = app.ClientFor($"{Store}.localhost");
        var owner = app.ClientFor("localhost");
        await Forms.SignInOwnerAsync(owner);
        var manager = app.ClientFor($"{Store}.localhost");
        (await Members.SignInAsync(manager, ManagerEmail)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var pages = RazorPages().ToList();
        pages.Count.ShouldBeGreaterThan(30);
        var requests = new List<(HttpClient Client, string Path)>();
        foreach (var (site, path) in pages)
        {
            if (site is null or Site.Platform)
            {
                requests.Add((anonymousPlatform, path));
                requests.Add((owner, path));
            }

            if (site is null or Site.Store)
            {
                requests.Add((anonymousStore, path));
                requests.Add((manager, path));
            }
        }

        requests.AddRange(
        [
            (anonymousStore, "/"), (anonymousStore, "/css/kiosk.css"), (anonymousStore, "/js/kiosk.js"), (anonymousStore, "/sw.js"),
            (anonymousStore, "/no-such-page"), (anonymousPlatform, "/no-such-page"), (app.ClientFor("nowhere.localhost"), "/"),
            (anonymousPlatform, "/status/500"), (anonymousPlatform, "/health/live"), (anonymousPlatform, "/health/ready"),
            (anonymousPlatform, "/css/site.css"), (anonymousPlatform, "/metrics"), (anonymousPlatform, "/hangfire"),
        ]);

        var checkedCount = 0;
        foreach (var (client, path) in requests)
        {
            var response = await client.GetAsync(path);
            var where = $"{client.BaseAddress!.Host}{path} ({(int)response.StatusCode})";
            // The error page itself answers 500 (it is what the exception handler shows); nothing else may.
            if (path != "/status/500")
            {
                response.StatusCode.ShouldNotBe(HttpStatusCode.InternalServerError, where);
            }

            AssertCommonHeaders(response, where, framedBySelf: path.StartsWith("/admin/form/preview", StringComparison.Ordinal));
            checkedCount++;
        }

        output.WriteLine($"{checkedCount} responses from {pages.Count} pages checked");
    }

    [Fact]
    public async Task The_kiosk_allows_exactly_its_brand_style_by_hash_also_when_its_empty_form_comes_from_the_cache()
    {
        var kiosk = app.ClientFor($"{Store}.localhost");
        for (var visit = 0; visit < 2; visit++)
        {
            var response = await kiosk.GetAsync("/");
            var html = await AppFactory.ReadAsync(response, HttpStatusCode.OK);
            var csp = Single(response, "Content-Security-Policy");
            if (visit == 0)
            {
                output.WriteLine("Kiosk Content-Security-Policy: " + csp);
            }

            var styles = InlineStyle().Matches(html).Select(m => m.Groups[1].Value).ToList();
            var style = styles.ShouldHaveSingleItem();
            style.ShouldStartWith(":root{--brand:#");
            csp.ShouldContain($"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)))}'");
            html.ShouldNotContain(" style=\"");
            html.ShouldNotContain("nonce=");
        }
    }

    [Fact]
    public async Task Nonces_differ_per_response_and_the_page_s_inline_style_carries_that_response_s_nonce()
    {
        var manager = app.ClientFor($"{Store}.localhost");
        (await Members.SignInAsync(manager, ManagerEmail)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var nonces = new List<string>();
        for (var visit = 0; visit < 3; visit++)
        {
            var response = await manager.GetAsync("/admin/branding");
            var html = await AppFactory.ReadAsync(response, HttpStatusCode.OK);
            var csp = Single(response, "Content-Security-Policy");
            var inHeader = NonceSource().Matches(csp).Select(m => m.Groups[1].Value).Distinct().ShouldHaveSingleItem();
            var inPage = NonceAttribute().Match(html);
            inPage.Success.ShouldBeTrue();
            WebUtility.HtmlDecode(inPage.Groups[1].Value).ShouldBe(inHeader);
            html.ShouldNotContain(" style=\"");
            nonces.Add(inHeader);
        }

        nonces.Distinct().Count().ShouldBe(3);
    }

    [Fact]
    public async Task The_hangfire_dashboard_gets_its_own_policy_scripts_still_only_from_files()
    {
        var owner = app.ClientFor("localhost");
        await Forms.SignInOwnerAsync(owner);

        var response = await owner.GetAsync("/hangfire");

        await AppFactory.ReadAsync(response, HttpStatusCode.OK);
        var csp = Single(response, "Content-Security-Policy");
        output.WriteLine("Hangfire Content-Security-Policy: " + csp);
        Directive(csp, "script-src").ShouldNotContain("'unsafe-inline'");
        Directive(csp, "style-src").ShouldContain("'unsafe-inline'");
        Directive(csp, "frame-ancestors").ShouldBe("frame-ancestors 'none'");
    }

    [Fact]
    public async Task A_fresh_antiforgery_cookie_is_secure_behind_https_and_brings_no_other_frame_option()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/owner/signin");
        request.Headers.Add("X-Forwarded-Proto", "https");

        var response = await app.ClientFor("localhost").SendAsync(request);

        await AppFactory.ReadAsync(response, HttpStatusCode.OK);
        var antiforgery = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        antiforgery.ShouldContain("secure", Case.Insensitive);
        Single(response, "X-Frame-Options").ShouldBe("DENY");
        // HSTS only in Production (the tests run as "Testing").
        response.Headers.Contains("Strict-Transport-Security").ShouldBeFalse();
    }

    [Fact]
    public async Task Over_plain_http_outside_production_the_antiforgery_cookie_is_not_marked_secure()
    {
        var response = await app.ClientFor("localhost").GetAsync("/owner/signin");

        await AppFactory.ReadAsync(response, HttpStatusCode.OK);
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal))
            .ShouldNotContain("secure", Case.Insensitive);
    }

    private static void AssertCommonHeaders(HttpResponseMessage response, string where, bool framedBySelf)
    {
        Single(response, "X-Content-Type-Options", where).ShouldBe("nosniff", where);
        Single(response, "Referrer-Policy", where).ShouldBe("same-origin", where);
        Single(response, "Permissions-Policy", where).ShouldContain("camera=()", Case.Sensitive, where);
        Single(response, "Cross-Origin-Opener-Policy", where).ShouldBe("same-origin", where);
        Single(response, "X-Frame-Options", where).ShouldBe(framedBySelf ? "SAMEORIGIN" : "DENY", where);
        var csp = Single(response, "Content-Security-Policy", where);
        Directive(csp, "default-src").ShouldBe("default-src 'self'", where);
        Directive(csp, "object-src").ShouldBe("object-src 'none'", where);
        Directive(csp, "base-uri").ShouldBe("base-uri 'none'", where);
        Directive(csp, "script-src-attr").ShouldBe("script-src-attr 'none'", where);
        Directive(csp, "frame-ancestors").ShouldBe(framedBySelf ? "frame-ancestors 'self'" : "frame-ancestors 'none'", where);
        var scripts = Directive(csp, "script-src");
        scripts.ShouldStartWith("script-src 'self' 'nonce-", Case.Sensitive, where);
        scripts.ShouldNotContain("unsafe", Case.Sensitive, where);
        if (!where.Contains("/hangfire", StringComparison.Ordinal))
        {
            Directive(csp, "style-src").ShouldNotContain("unsafe", Case.Sensitive, where);
            Directive(csp, "style-src-attr").ShouldBe("style-src-attr 'none'", where);
        }
    }

    private static string Single(HttpResponseMessage response, string header, string? where = null)
    {
        var values = response.Headers.TryGetValues(header, out var found) ? found.ToList()
            : response.Content.Headers.TryGetValues(header, out var content) ? content.ToList() : [];
        return values.ShouldHaveSingleItem($"{header} on {where}");
    }

    private static string Directive(string csp, string name) =>
        csp.Split(';', StringSplitOptions.TrimEntries).SingleOrDefault(d => d == name || d.StartsWith(name + " ", StringComparison.Ordinal)) ?? "";

    [GeneratedRegex("<style[^>]*>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex InlineStyle();

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex NonceSource();

    [GeneratedRegex("<style nonce=\"([^\"]+)\"")]
    private static partial Regex NonceAttribute();
}
