using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CustomerInfo.TestSupport;

namespace CustomerInfo.FunctionalTests.Isolation;

/// <summary>
/// The hostile-input suite (issue 14 §8), generated from the same inventory as the isolation matrix:
/// every field of every handler of every page (handler parameters and bound properties, read by
/// reflection), every route and query id and every minimal endpoint gets our own generators (very
/// long, binary and NUL, invalid UTF-8 sent raw, HTML and script, SQL, CSV formulas, path traversal,
/// huge JSON, wrong content types, empty, zero, foreign and malformed ids) and a fixed sample of the
/// naughty-strings corpus, as store B's Owner (and the platform owner on the apex). None may answer 5xx,
/// echo markup unencoded or show store A's data; a refused request stores nothing; A's data is unchanged.
/// </summary>
public class HostileInputTests(IsolationApp app) : IClassFixture<IsolationApp>, IAsyncLifetime
{
    private const int NaughtySample = 24;

    /// <summary>How many of the naughty strings each form handler gets (the GETs get them all): bounds the suite's time.</summary>
    private const int NaughtyPerPost = 6;
    private HttpClient store = null!;
    private HttpClient platform = null!;
    private readonly List<string> wrong = [];
    private int requests;

    public async Task InitializeAsync()
    {
        store = await app.OwnerOfBAsync();
        platform = await app.PlatformOwnerAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Our generators, each named so a failure says which one.</summary>
    private IReadOnlyList<(string Name, string Value)> Generated() =>
    [
        ("very long", new string('a', 100_000)),
        ("very long unicode", string.Concat(Enumerable.Repeat("ü€𝄞ß", 12_000))),
        ("NUL and binary", "a\0b\u0001\u0002\u001b[31m\u007f\uFFFE"),
        ("NUL alone", "Mira\0Voss"), // only a NUL: what PostgreSQL's jsonb refuses (22P05), with nothing else odd; not a name the leak check remembers, since query strings are logged in tests
        ("C1 control", "Caf\u0085e\u009b"),
        ("HTML", "<b>bold</b><img src=x onerror=alert(1)>"),
        ("script", "<script>alert('hostile-7')</script>"),
        ("attribute break-out", "\"><svg onload=alert(8)>'"),
        ("SQL", "'; DROP TABLE customerinfo.mt_events; --"),
        ("SQL boolean", "' OR '1'='1' --"),
        ("SQL sleep", "1; select pg_sleep(5) --"),
        ("CSV formula", "=HYPERLINK(\"http://evil.test\",\"klik\")"),
        ("CSV command", "+cmd|' /C calc'!A0"),
        ("CSV at", "@SUM(1+1)*cmd|' /C calc'!A0"),
        ("path traversal", "../../../../etc/passwd"),
        ("path traversal windows", "..\\..\\..\\windows\\win.ini"),
        ("path traversal encoded", "%2e%2e%2f%2e%2e%2fetc%2fpasswd"),
        ("huge JSON", string.Concat(Enumerable.Repeat("[", 5_000)) + string.Concat(Enumerable.Repeat("]", 5_000))),
        ("JSON object", "{\"__proto__\":{\"admin\":true},\"constructor\":{}}"),
        ("empty", ""),
        ("blank", "   \t  "),
        ("zero", "0"),
        ("negative", "-1"),
        ("huge number", "99999999999999999999999999"),
        ("zero id", Guid.Empty.ToString()),
        ("foreign id", app.A.SignUp.ToString()),
        ("foreign contact id", app.A.Contact.ToString()),
        ("malformed id", "not-a-guid-{}"),
        ("template", "{{7*7}}${7*7}<%= 7*7 %>"),
        ("header injection", "a\r\nSet-Cookie: hostile=1"),
        ("right-to-left and emoji", "\u202Eevil\u202C 👩‍👩‍👧 ‮"),
    ];

    /// <summary>A fixed sample of the Big List of Naughty Strings (the same one on every run).</summary>
    private static List<(string Name, string Value)> Naughty()
    {
        var all = JsonSerializer.Deserialize<string[]>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "SignUps", "NaughtyStrings", "blns.json")))!
            .Where(s => s.Length > 0 && Encodable(s)).ToArray();
        var random = new Random(1414);
        return Enumerable.Range(0, NaughtySample).Select(_ => all[random.Next(all.Length)]).Distinct().Select((s, i) => ($"naughty #{i}", s)).ToList();
    }

    private static bool Encodable(string text)
    {
        try
        {
            _ = Uri.EscapeDataString(text);
            return true;
        }
        catch (UriFormatException)
        {
            return false;
        }
    }

    /// <summary>What a form handler gets: every generator, and the first naughty strings of the fixed sample.</summary>
    private IEnumerable<(string Name, string Value)> ForPosts() => Generated().Concat(Naughty().Take(NaughtyPerPost));

    /// <summary>What a query string gets: the generators that fit in a URL, and a few naughty strings.</summary>
    private IEnumerable<(string Name, string Value)> ForQueries() =>
        Generated().Where(v => v.Value.Length <= 12_000 && !v.Name.StartsWith("SQL b", StringComparison.Ordinal) && !v.Name.StartsWith("CSV c", StringComparison.Ordinal)).Concat(Naughty().Skip(NaughtyPerPost).Take(4));

    [Fact]
    public async Task Every_field_of_every_form_handler_survives_every_hostile_value_and_a_refused_post_stores_nothing()
    {
        var before = await app.DataOfAsync(app.A.TenantId, IsolationApp.SessionTable);
        var last = await app.DataOfAsync(app.B.TenantId, IsolationApp.SessionTable);
        var posts = 0;
        foreach (var (route, coverage) in Covered())
        {
            var client = ClientOf(route);
            var path = route.PathWith(p => OwnIdFor(coverage, p));
            var token = await TokenAsync(client, path, route);
            foreach (var handler in route.Handlers.Where(h => h.Method == "POST"))
            {
                var target = handler.Name is null ? path : $"{path}?handler={handler.Name}";
                var fields = handler.Fields.Select(f => f.Name).Where(f => f != "__RequestVerificationToken").ToList();
                foreach (var (name, value) in ForPosts())
                {
                    var form = fields.Select(f => new KeyValuePair<string, string>(f, value)).Append(new("__RequestVerificationToken", token)).ToList();
                    posts++;
                    last = await SendRefusedStoresNothingAsync(client, target, () => handler.TakesFile ? Multipart(form, value) : new FormUrlEncodedContent(form), $"POST {target} [{name}]", value, last);
                }
            }
        }

        posts.ShouldBeGreaterThan(400);
        wrong.ShouldBeEmpty();
        (await app.DataOfAsync(app.A.TenantId, IsolationApp.SessionTable)).ShouldBe(before);
    }

    [Fact]
    public async Task Every_query_field_and_route_id_of_every_get_survives_hostile_values()
    {
        var before = await app.DataOfAsync(app.A.TenantId, IsolationApp.SessionTable);
        // Empty, zero, malformed, foreign (A's), traversal, invalid UTF-8, markup and very long ids ("%00" is refused by the test host itself; Kestrel answers 400).
        var ids = new[] { "", Guid.Empty.ToString(), "not-a-guid", app.A.SignUp.ToString(), app.A.KioskToken, "..%2F..%2F..%2Fetc%2Fpasswd", "%FF%FE", "%3Cscript%3Ealert(9)%3C%2Fscript%3E", new string('9', 5_000) };
        foreach (var (route, coverage) in Covered())
        {
            var client = ClientOf(route);
            foreach (var handler in route.Handlers.Where(h => h.Method == "GET"))
            {
                var path = route.PathWith(p => OwnIdFor(coverage, p));
                foreach (var (name, value) in ForQueries())
                {
                    var query = handler.Fields.Select(f => $"{Uri.EscapeDataString(f.Name)}={Uri.EscapeDataString(value)}").Prepend(handler.Name is null ? "" : "handler=" + handler.Name).Where(q => q.Length > 0);
                    var uri = $"{path}?{string.Join('&', query.DefaultIfEmpty("q=" + Uri.EscapeDataString(value)))}";
                    await CheckAsync(await client.GetAsync(uri), $"GET {uri[..Math.Min(uri.Length, 120)]} [{name}]", value);
                }

                foreach (var parameter in route.RouteParameters)
                {
                    foreach (var id in ids)
                    {
                        var uri = route.PathWith(p => p == parameter ? id : OwnIdFor(coverage, p)) + (handler.Name is null ? "" : "?handler=" + handler.Name);
                        await CheckAsync(await client.GetAsync(uri), $"GET {uri[..Math.Min(uri.Length, 120)]}", Uri.UnescapeDataString(id));
                    }
                }
            }
        }

        foreach (var path in IsolationCoverage.MiddlewarePaths)
        {
            foreach (var client in new[] { store, platform })
            {
                foreach (var (name, value) in ForQueries())
                {
                    await CheckAsync(await client.GetAsync($"{path}?q={Uri.EscapeDataString(value)}&format={Uri.EscapeDataString(value)}"), $"GET {path} [{name}]", value);
                }
            }
        }

        foreach (var traversal in new[] { "/hangfire/../../etc/passwd", "/hangfire/%2e%2e/%2e%2e/etc/passwd", "/hangfire/jobs/details/%3Cscript%3E", "/hangfire/recurring/" + new string('x', 3000), "/brand/logo/..%2F..%2Fappsettings.json", "/status/99999999999", "/status/-1", "/admin/..%2Fowner" })
        {
            await CheckAsync(await platform.GetAsync(traversal), "GET " + traversal[..Math.Min(traversal.Length, 80)], traversal);
            await CheckAsync(await store.GetAsync(traversal), "GET " + traversal[..Math.Min(traversal.Length, 80)], traversal);
        }

        requests.ShouldBeGreaterThan(1000);
        wrong.ShouldBeEmpty();
        (await app.DataOfAsync(app.A.TenantId, IsolationApp.SessionTable)).ShouldBe(before);
    }

    [Fact]
    public async Task Raw_bodies_invalid_utf8_wrong_content_types_and_huge_json_are_refused_without_an_error()
    {
        var before = await app.DataOfAsync(app.A.TenantId, IsolationApp.SessionTable);
        var last = await app.DataOfAsync(app.B.TenantId, IsolationApp.SessionTable);
        var hugeJson = Encoding.UTF8.GetBytes("{\"data\":" + string.Concat(Enumerable.Repeat("{\"a\":", 3_000)) + "1" + new string('}', 3_000) + ",\"pad\":\"" + new string('x', 2_000_000) + "\"}");
        foreach (var (route, coverage) in Covered())
        {
            var client = ClientOf(route);
            var path = route.PathWith(p => OwnIdFor(coverage, p));
            var token = await TokenAsync(client, path, route);
            foreach (var handler in route.Handlers.Where(h => h.Method == "POST"))
            {
                var target = handler.Name is null ? path : $"{path}?handler={handler.Name}";
                var field = handler.Fields.Count > 0 ? handler.Fields[0].Name : "q";
                var tokenPart = "__RequestVerificationToken=" + Uri.EscapeDataString(token) + "&";
                var bodies = new (string Name, Func<HttpContent> Content)[]
                {
                    ("invalid UTF-8 percent-encoded", () => Form($"{tokenPart}{field}=%FF%FE%C3%28%ED%A0%80")),
                    ("invalid UTF-8 raw bytes", () => Raw([.. Encoding.ASCII.GetBytes(tokenPart + field + "="), 0xFF, 0xFE, 0xC3, 0x28, 0x00, 0xED, 0xA0, 0x80], "application/x-www-form-urlencoded")),
                    ("UTF-16 declared", () => Raw(Encoding.Unicode.GetBytes(tokenPart + field + "=ü"), "application/x-www-form-urlencoded; charset=utf-16")),
                    ("huge JSON", () => Raw(hugeJson, "application/json")),
                    ("JSON with a NUL", () => Raw(Encoding.UTF8.GetBytes("{\"" + field + "\":\"a\\u0000b\",\"name\":\"\\u0000\"}"), "application/json")),
                    ("text/plain", () => Raw(Encoding.UTF8.GetBytes(tokenPart + field + "=x"), "text/plain")),
                    ("XML", () => Raw(Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"), "application/xml")),
                    ("multipart garbage", () => Raw(Encoding.ASCII.GetBytes("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n\u0000\u0001--"), "multipart/form-data; boundary=b")),
                    ("multipart without boundary", () => Raw(Encoding.ASCII.GetBytes("x"), "multipart/form-data")),
                    ("no content type", () => Raw(Encoding.ASCII.GetBytes(tokenPart + field + "=x"), null)),
                    ("malformed form", () => Form($"{tokenPart}{field}=%%%&=&&==%zz&{new string('&', 5000)}")),
                };
                foreach (var (name, content) in bodies)
                {
                    last = await SendRefusedStoresNothingAsync(client, target, content, $"POST {target} [{name}]", "", last);
                }
            }
        }

        // The minimal JSON endpoint: Stripe's webhook, with no valid signature, answers 4xx to anything.
        foreach (var (name, content) in new (string, HttpContent)[]
        {
            ("huge JSON", Raw(hugeJson, "application/json")),
            ("invalid UTF-8", Raw([0x7B, 0xFF, 0xFE, 0x7D], "application/json")),
            ("empty", Raw([], "application/json")),
            ("JSON with a NUL", Raw(Encoding.UTF8.GetBytes("{\"id\":\"evt_\\u0000\",\"type\":\"invoice.paid\u0000\"}"), "application/json")),
            ("form", Form("type=invoice.paid&id=evt_1")),
            ("JSON, forged signature", Raw(Encoding.UTF8.GetBytes("{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"data\":{\"object\":{\"customer\":\"" + app.A.TenantId + "\"}}}"), "application/json")),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/stripe/webhook") { Content = content };
            request.Headers.TryAddWithoutValidation("Stripe-Signature", "t=1,v1=" + new string('0', 64) + ",v1=<script>");
            var response = await platform.SendAsync(request);
            await CheckAsync(response, $"POST /stripe/webhook [{name}]", "");
            ((int)response.StatusCode).ShouldBeInRange(400, 499, name);
        }

        requests.ShouldBeGreaterThan(300);
        wrong.ShouldBeEmpty();
        (await app.DataOfAsync(app.A.TenantId, IsolationApp.SessionTable)).ShouldBe(before);
    }

    /// <summary>
    /// Sends one POST and checks it; when it was refused, nothing of B may have been written. A write seen
    /// after a refusal may be the background work of an earlier, accepted request (subscriptions append
    /// events): the data is left to settle and the same request sent again, and only a second write counts.
    /// </summary>
    /// <returns>B's data as it is now.</returns>
    private async Task<string> SendRefusedStoresNothingAsync(HttpClient client, string target, Func<HttpContent> content, string what, string input, string last)
    {
        var response = await client.PostAsync(target, content());
        await CheckAsync(response, what, input);
        var now = await app.DataOfAsync(app.B.TenantId, IsolationApp.SessionTable);
        if (!Refused(response.StatusCode) || now == last)
        {
            return now;
        }

        var settled = await SettledDataOfBAsync();
        var again = await client.PostAsync(target, content());
        var after = await app.DataOfAsync(app.B.TenantId, IsolationApp.SessionTable);
        if (Refused(again.StatusCode) && after != settled)
        {
            wrong.Add($"{what} was refused ({(int)again.StatusCode}) but wrote {IsolationApp.Changed(settled, after)}");
        }

        return after;
    }

    private async Task<string> SettledDataOfBAsync()
    {
        var previous = await app.DataOfAsync(app.B.TenantId, IsolationApp.SessionTable);
        for (var i = 0; i < 40; i++)
        {
            await Task.Delay(100);
            var now = await app.DataOfAsync(app.B.TenantId, IsolationApp.SessionTable);
            if (now == previous)
            {
                return now;
            }

            previous = now;
        }

        return previous;
    }

    /// <summary>No 5xx; markup of the input never comes back raw; nothing of store A shows.</summary>
    private async Task CheckAsync(HttpResponseMessage response, string what, string input)
    {
        var showsEveryStore = response.RequestMessage?.RequestUri?.Host == "localhost";
        requests++;
        var body = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode >= 500)
        {
            wrong.Add($"{what}: {(int)response.StatusCode} {(wrong.Count < 3 ? app.LastException() : "")}");
        }

        if (input.Length >= 6 && System.Text.RegularExpressions.Regex.IsMatch(input, "<[a-zA-Z/!]") && body.Contains(input, StringComparison.Ordinal)
            && response.Content.Headers.ContentType?.MediaType is "text/html" or null)
        {
            wrong.Add($"{what}: the input came back unencoded");
        }

        // The platform owner sees every store by design; on B's host nothing of A may show.
        if (!showsEveryStore)
        {
            wrong.AddRange(app.A.Secrets(input + what).Where(s => body.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(s => $"{what}: showed A's \"{s}\""));
        }
    }

    /// <summary>Answers that refuse the request outright: nothing may have been stored.</summary>
    private static bool Refused(HttpStatusCode status) =>
        status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.RequestEntityTooLarge
            or HttpStatusCode.UnsupportedMediaType or HttpStatusCode.UnprocessableEntity or HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests;

    private IEnumerable<(AppRoute Route, RouteCoverage Coverage)> Covered() =>
        EndpointInventory.Routes(app.Services)
            .Select(r => (r, IsolationCoverage.Routes[r.Key]))
            .Where(x => x.Item2.NoHostile is null)
            .OrderBy(x => x.r.Key, StringComparer.Ordinal);

    private HttpClient ClientOf(AppRoute route) => route.Site == Web.Tenancy.Site.Platform ? platform : store;

    private string OwnIdFor(RouteCoverage coverage, string parameter) =>
        coverage.Ids.TryGetValue(parameter, out var kind) ? app.B.Of(kind) : parameter == "code" ? "404" : "x";

    /// <summary>The antiforgery token of the page itself, or of a page of the same site and cookie path when it renders none.</summary>
    private static async Task<string> TokenAsync(HttpClient client, string path, AppRoute route)
    {
        foreach (var page in new[] { path, route.Site == Web.Tenancy.Site.Platform ? (path.StartsWith("/owner", StringComparison.Ordinal) ? "/owner" : "/start") : path.StartsWith("/admin", StringComparison.Ordinal) ? "/admin/team" : "/" })
        {
            var response = await client.GetAsync(page);
            var html = await response.Content.ReadAsStringAsync();
            if (html.Contains("__RequestVerificationToken", StringComparison.Ordinal))
            {
                return Forms.AntiforgeryToken(html);
            }
        }

        return "";
    }

    private static MultipartFormDataContent Multipart(IEnumerable<KeyValuePair<string, string>> fields, string value)
    {
        var content = new MultipartFormDataContent();
        foreach (var (key, text) in fields)
        {
            content.Add(new StringContent(text), key);
        }

        foreach (var name in new[] { "logo", "Upload", "file" })
        {
            var file = new ByteArrayContent([.. Encoding.UTF8.GetBytes(value), 0x00, 0xFF, 0x89, 0x50, 0x4E, 0x47]);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            // HttpClient refuses a NUL in an ASCII file name ("Mira\0Voss.csv"): the name gets the sign for it, the fields keep the NUL.
            content.Add(file, name, value.Length is > 0 and < 200 ? value.Replace('"', '\'').Replace('\r', ' ').Replace('\n', ' ').Replace('\0', '\u2400') + ".csv" : "../../etc/passwd.csv");
        }

        return content;
    }

    private static ByteArrayContent Raw(byte[] bytes, string? contentType)
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return content;
    }

    private static ByteArrayContent Form(string text) => Raw(Encoding.ASCII.GetBytes(text), "application/x-www-form-urlencoded");
}
