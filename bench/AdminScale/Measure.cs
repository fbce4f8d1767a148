using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

/// <summary>
/// Real HTTP requests against the running app (its process id for the memory figures), signed in as
/// a tenant's Owner as a browser is: each measure prints "name value" lines for bench/admin-scale.sh.
/// </summary>
internal static partial class Measure
{
    public static async Task ListAsync(string url, string[] tenants, string password, int requests)
    {
        foreach (var identifier in tenants)
        {
            using var client = await SignedInAsync(url, identifier, password);
            var first = await client.GetStringAsync(new Uri("/admin/signups", UriKind.Relative));
            Report($"{identifier}.first", await TimeAsync(client, "/admin/signups", requests, "<table"));

            // A search as the search box sends it: posted, answered with a link that holds it.
            // The loader's tenant "scaleK" holds lars.7@t{K-1}.example.test, one sign-up.
            var t = int.Parse(string.Concat(identifier.Where(char.IsAsciiDigit)), CultureInfo.InvariantCulture) - 1;
            foreach (var (name, term) in new[] { ("name", "jans"), ("email", $"lars.7@t{t}.example.test") })
            {
                var link = await PostAsync(client, "/admin/signups", new() { ["q"] = term }, first);
                Report($"{identifier}.search_{name}", await TimeAsync(client, link, requests, "<main"));
            }

            // The older link of the first page, followed as deep as the list goes (at most 200 pages).
            var deep = "/admin/signups";
            var depth = 0;
            for (var page = first; depth < 200 && OlderLink(page) is { } older; depth++)
            {
                deep = older;
                page = await client.GetStringAsync(new Uri(deep, UriKind.Relative));
            }

            Console.WriteLine(FormattableString.Invariant($"{identifier}.deep_pages {depth}"));
            Report($"{identifier}.deep", await TimeAsync(client, deep, requests, "<table"));
            Report($"{identifier}.push_failed", await TimeAsync(client, "/admin/signups?push=failed", requests, "<table"));
        }
    }

    public static async Task ExportAsync(string url, string identifier, string password, int pid)
    {
        using var client = await SignedInAsync(url, identifier, password);
        var before = Status(pid, "VmRSS");
        var peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, Status(pid, "VmRSS"));
                await Task.Delay(20, CancellationToken.None);
            }
        });

        var timer = Stopwatch.StartNew();
        using var response = await client.GetAsync(new Uri("/admin/signups/export", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[81920];
        long lines = 0, bytes = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            bytes += read;
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        var elapsed = timer.Elapsed;
        await sampling.CancelAsync();
        await sampler;
        Console.WriteLine(FormattableString.Invariant($"export.type {response.Content.Headers.ContentType}"));
        Console.WriteLine(FormattableString.Invariant($"export.seconds {elapsed.TotalSeconds:F1}"));
        Console.WriteLine(FormattableString.Invariant($"export.bytes {bytes}"));
        Console.WriteLine(FormattableString.Invariant($"export.rows {lines - 1}"));
        Console.WriteLine(FormattableString.Invariant($"export.rss_before_mb {before / 1024}"));
        Console.WriteLine(FormattableString.Invariant($"export.rss_peak_mb {peak / 1024}"));
        Console.WriteLine(FormattableString.Invariant($"export.hwm_mb {Status(pid, "VmHWM") / 1024}"));
    }

    /// <summary>A customer list uploaded on the import page, started with the mapping the page proposes, timed until the job says it is done.</summary>
    public static async Task ImportAsync(string url, string identifier, string password, int rows)
    {
        using var client = await SignedInAsync(url, identifier, password);
        var file = new StringBuilder("Voornaam;Achternaam;E-mail;Telefoon;Toestemming e-mail;Datum toestemming e-mail\n");
        for (var i = 0; i < rows; i++)
        {
            file.Append(CultureInfo.InvariantCulture, $"Klant{i};Import;klant{i}@import.example.test;;ja;01-03-2024\n");
        }

        var timer = Stopwatch.StartNew();
        var page = await client.GetStringAsync(new Uri("/admin/import", UriKind.Relative));
        using var form = new MultipartFormDataContent
        {
            { new StringContent(Token(page)), "__RequestVerificationToken" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(file.ToString())), "Upload", "customers.csv" },
        };
        using var uploaded = await client.PostAsync(new Uri("/admin/import", UriKind.Relative), form);
        var detail = uploaded.Headers.Location?.OriginalString ?? throw new InvalidOperationException($"The upload was answered {(int)uploaded.StatusCode}.");
        var upload = timer.Elapsed;

        var mappingPage = await client.GetStringAsync(new Uri(detail, UriKind.Relative));
        var fields = new Dictionary<string, string> { ["SendToCrm"] = "false" };
        foreach (Match select in MappingSelect().Matches(mappingPage))
        {
            fields[WebUtility.HtmlDecode(select.Groups[1].Value)] = SelectedOption().Match(select.Groups[2].Value).Groups[1].Value;
        }

        var started = await PostAsync(client, detail + "?handler=Start", fields, mappingPage);
        string progress;
        do
        {
            await Task.Delay(500);
            progress = await client.GetStringAsync(new Uri(started + "?handler=Progress", UriKind.Relative));
        }
        while (!progress.Contains("\"finished\":true", StringComparison.Ordinal));

        Console.WriteLine(FormattableString.Invariant($"import.upload_seconds {upload.TotalSeconds:F1}"));
        Console.WriteLine(FormattableString.Invariant($"import.seconds {timer.Elapsed.TotalSeconds:F1}"));
        Console.WriteLine($"import.progress {progress}");
    }

    private static async Task<HttpClient> SignedInAsync(string url, string identifier, string password)
    {
        var host = $"{identifier}.localhost";
        var client = new HttpClient(new TenantHost(host, new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }))
        {
            BaseAddress = new Uri(url),
            Timeout = TimeSpan.FromMinutes(30),
        };
        var page = await client.GetStringAsync(new Uri("/admin/signin", UriKind.Relative));
        await PostAsync(client, "/admin/signin", new() { ["Command.Email"] = $"owner@{host}", ["Command.Password"] = password }, page);
        return client;
    }

    /// <summary>Posts a form of <paramref name="page"/> with its antiforgery token; the redirect's target.</summary>
    private static async Task<string> PostAsync(HttpClient client, string path, Dictionary<string, string> fields, string page)
    {
        fields["__RequestVerificationToken"] = Token(page);
        using var content = new FormUrlEncodedContent(fields);
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content);
        return response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location is { } location
            ? location.OriginalString
            : throw new InvalidOperationException($"POST {path} was answered {(int)response.StatusCode}.");
    }

    private static async Task<List<double>> TimeAsync(HttpClient client, string path, int requests, string expected)
    {
        var times = new List<double>(requests);
        for (var i = -5; i < requests; i++)
        {
            var timer = Stopwatch.StartNew();
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            var elapsed = timer.Elapsed.TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK || !body.Contains(expected, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"GET {path} was answered {(int)response.StatusCode} without {expected}.");
            }

            if (i >= 0)
            {
                times.Add(elapsed);
            }
        }

        return times;
    }

    private static void Report(string name, List<double> times)
    {
        times.Sort();
        double At(double p) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(p * times.Count) - 1)];
        Console.WriteLine(FormattableString.Invariant($"{name}.p50 {At(0.50):F1}"));
        Console.WriteLine(FormattableString.Invariant($"{name}.p95 {At(0.95):F1}"));
    }

    private static string? OlderLink(string page) =>
        OlderAnchor().Match(page) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;

    private static string Token(string page) =>
        AntiforgeryToken().Match(page) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException("The page has no antiforgery token.");

    /// <summary>kB from a line of /proc/{pid}/status.</summary>
    private static long Status(int pid, string key) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith(key + ":", StringComparison.Ordinal))
            .Select(l => long.Parse(l[(key.Length + 1)..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture)).First();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("<a class=\"button secondary\" href=\"([^\"]+)\" rel=\"next\">")]
    private static partial Regex OlderAnchor();

    [GeneratedRegex("<select id=\"map-\\d+\" name=\"([^\"]+)\"[^>]*>(.*?)</select>", RegexOptions.Singleline)]
    private static partial Regex MappingSelect();

    [GeneratedRegex("<option value=\"([^\"]+)\" selected")]
    private static partial Regex SelectedOption();

    /// <summary>Every request of a client carries its tenant's host, as a browser at {tenant}.localhost would.</summary>
    private sealed class TenantHost(string host, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Host = host;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
