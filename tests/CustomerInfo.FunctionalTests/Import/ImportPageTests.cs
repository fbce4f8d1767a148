using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Import;
using CustomerInfo.Application.Import.RunImport;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Stores;
using CustomerInfo.FunctionalTests.SignUps;
using CustomerInfo.TestSupport;
using Marten;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.FunctionalTests.Import;

/// <summary>
/// The import pages through the whole web stack: a file goes from upload to mapping to report, and
/// every bad file (too large, empty, a header only, not text, hostile strings) gets the page with a
/// clear message, leaves nothing behind, and never a 500.
/// </summary>
public partial class ImportPageTests(SignUpApp app) : IClassFixture<SignUpApp>, IAsyncLifetime
{
    private const string Manager = "manager@acme.test";
    private HttpClient manager = null!;
    private Guid tenantId;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        tenantId = await app.AddStoreAsync("acme", "Acme Shoes");
        await app.AddMemberAsync("acme", Manager, TeamRole.Manager);
        await app.AddMemberAsync("acme", "staff@acme.test", TeamRole.Staff);
        manager = app.ClientFor("acme.localhost");
        await Members.SignedInAsync(manager, Manager);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<HttpResponseMessage> UploadAsync(HttpContent file, string fileName = "klanten.csv")
    {
        var html = await AppFactory.ReadAsync(await manager.GetAsync("/admin/import"), HttpStatusCode.OK);
        var form = new MultipartFormDataContent
        {
            { new StringContent(Forms.AntiforgeryToken(html)), "__RequestVerificationToken" },
            { file, "Upload", fileName },
        };
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return await manager.PostAsync("/admin/import", form);
    }

    private Task<HttpResponseMessage> UploadAsync(byte[] bytes, string fileName = "klanten.csv") => UploadAsync(new ByteArrayContent(bytes), fileName);

    private Task<HttpResponseMessage> UploadAsync(string text) => UploadAsync(Encoding.UTF8.GetBytes(text));

    private async Task<(int Runs, int Chunks)> StoredAsync()
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenantId.ToString());
        return (await session.Query<ImportRun>().CountAsync(), await session.Query<ImportChunk>().CountAsync());
    }

    private async Task<string> StartAsync(string detailPath, Dictionary<string, string>? mapping = null)
    {
        var html = await AppFactory.ReadAsync(await manager.GetAsync(detailPath), HttpStatusCode.OK);
        var fields = mapping ?? SelectedMapping(html);
        fields["__RequestVerificationToken"] = Forms.AntiforgeryToken(html);
        var started = await manager.PostAsync($"{detailPath}?handler=Start", new FormUrlEncodedContent(fields));
        return started.StatusCode == HttpStatusCode.Redirect ? "started" : await started.Content.ReadAsStringAsync();
    }

    /// <summary>The mapping as the page pre-selects it (its guesses).</summary>
    private static Dictionary<string, string> SelectedMapping(string html) =>
        SelectRegex().Matches(html).ToDictionary(m => m.Groups["name"].Value, m => SelectedRegex().Match(m.Groups["options"].Value).Groups["value"].Value);

    private async Task RunJobAsync(string detailPath)
    {
        var importId = Guid.Parse(detailPath.Split('/')[^1]);
        await using var scope = await StoreScope.EnterAsync(app, "acme", Actor.System("jobs"));
        await scope.ServiceProvider.GetRequiredService<ISender>().Send(new RunImportCommand(tenantId, importId));
    }

    [Fact]
    public async Task Staff_may_not_open_the_import_pages()
    {
        var staff = app.ClientFor("acme.localhost");
        await Members.SignedInAsync(staff, "staff@acme.test");

        (await staff.GetAsync("/admin/import")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await staff.GetAsync($"/admin/import/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await manager.GetAsync($"/admin/import/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_file_goes_from_upload_to_a_guessed_mapping_to_a_report_with_its_bad_rows()
    {
        var uploaded = await UploadAsync(
            "Voornaam;Achternaam;E-mail;Telefoon;Geboortedatum;Opmerking\n" +
            "Jan;de Vries;jan@example.com;0612345678;25-12-1980;=HYPERLINK(\"http://evil\")\n" +
            "Piet;Bakker;not-an-email;;;\n" +
            "Kees;Smit;;12;;\n");
        uploaded.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var detail = uploaded.Headers.Location!.OriginalString;

        var mapping = await AppFactory.ReadAsync(await manager.GetAsync(detail), HttpStatusCode.OK);
        mapping.ShouldContain("3 rows in klanten.csv");
        var guessed = SelectedMapping(mapping);
        guessed.Values.ShouldBe(["FirstName", "LastName", "Email", "Phone", "Birthday", "Ignore"]);
        mapping.ShouldContain("jan@example.com");

        (await StartAsync(detail)).ShouldBe("started");
        var running = await AppFactory.ReadAsync(await manager.GetAsync(detail), HttpStatusCode.OK);
        running.ShouldContain("<progress");
        running.ShouldContain("0 of 3 rows done");
        running.ShouldContain("<script src=\"/js/import-progress.");

        await RunJobAsync(detail);

        var progress = JsonDocument.Parse(await AppFactory.ReadAsync(await manager.GetAsync($"{detail}?handler=Progress"), HttpStatusCode.OK)).RootElement;
        (progress.GetProperty("finished").GetBoolean(), progress.GetProperty("rowsDone").GetInt32(), progress.GetProperty("imported").GetInt32()).ShouldBe((true, 3, 1));
        var report = await AppFactory.ReadAsync(await manager.GetAsync(detail), HttpStatusCode.OK);
        report.ShouldContain("not an email address");
        report.ShouldContain("not a phone number for NL");
        RowRegex().Matches(report).Select(m => m.Groups[1].Value).ShouldBe(["3", "4"]);
        report.ShouldNotContain("jan@example.com", customMessage: "the report names rows, never what they held");

        var csv = await AppFactory.ReadAsync(await manager.GetAsync($"{detail}?handler=Errors"), HttpStatusCode.OK);
        csv.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ShouldBe(["Row,Field,Reason", "3,Email,not an email address", "4,Phone,not a phone number for NL"]);

        var list = await AppFactory.ReadAsync(await manager.GetAsync("/admin/signups?source=import"), HttpStatusCode.OK);
        list.ShouldContain("jan@example.com");
        list.ShouldContain("badge-imported");
        var kioskOnly = await AppFactory.ReadAsync(await manager.GetAsync("/admin/signups?source=kiosk"), HttpStatusCode.OK);
        kioskOnly.ShouldNotContain("jan@example.com");

        var dashboard = await AppFactory.ReadAsync(await manager.GetAsync("/admin"), HttpStatusCode.OK);
        dashboard.ShouldContain("data-stat=\"today\">0<");
        dashboard.ShouldContain("1 imported (not counted above)");

        var past = await AppFactory.ReadAsync(await manager.GetAsync("/admin/import"), HttpStatusCode.OK);
        past.ShouldContain("klanten.csv");

        // Times are the store's, as in the rest of the admin (the store is in Amsterdam, ahead of UTC).
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenantId.ToString());
        var run = await session.Query<ImportRun>().SingleAsync();
        string Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, StoreTimeZones.Find(StoreTimeZones.Default)).ToString("g", CultureInfo.GetCultureInfo("en-GB"));
        WebUtility.HtmlDecode(past).ShouldContain(Local(run.UploadedAt));
        past.ShouldNotContain(" UTC");
        WebUtility.HtmlDecode(report).ShouldContain(Local(run.CompletedAt!.Value));
        report.ShouldNotContain(" UTC");
    }

    [Fact]
    public async Task A_mapping_without_email_or_phone_is_refused_with_a_message_and_nothing_starts()
    {
        var detail = (await UploadAsync("Voornaam;E-mail\nJan;jan@example.com\n")).Headers.Location!.OriginalString;

        var answer = await StartAsync(detail, new() { ["Mapping[0]"] = "FirstName", ["Mapping[1]"] = "Ignore" });

        answer.ShouldContain("Choose the column with the email address or the phone number.");
        (await AppFactory.ReadAsync(await manager.GetAsync(detail), HttpStatusCode.OK)).ShouldContain("Which column is what?");
    }

    [Fact]
    public async Task A_50_MB_upload_is_refused_before_it_is_read_with_the_page_and_a_message()
    {
        var body = new CountingStream(50L * 1024 * 1024);

        var answer = await UploadAsync(new StreamContent(body) { Headers = { ContentLength = body.Length } }, "huge.csv");

        answer.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        body.BytesRead.ShouldBeLessThan(1024 * 1024);
        var page = await AppFactory.ReadAsync(await manager.GetAsync(answer.Headers.Location!.OriginalString), HttpStatusCode.OK);
        page.ShouldContain("That file is larger than 20 MB.");
        (await StoredAsync()).ShouldBe((0, 0));
    }

    [Theory]
    [InlineData("", "That file is empty.")]
    [InlineData("\n\n", "That file is empty.")]
    [InlineData("Voornaam;Achternaam;E-mail\n", "That file has column names but no customers below them.")]
    [InlineData("Voornaam;Achternaam;E-mail\r\n;;\r\n", "That file has column names but no customers below them.")]
    public async Task An_empty_file_or_a_header_alone_gets_a_clear_message_and_nothing_is_saved(string text, string message)
    {
        var answer = await UploadAsync(text);

        (await AppFactory.ReadAsync(answer, HttpStatusCode.UnprocessableEntity)).ShouldContain(message);
        (await StoredAsync()).ShouldBe((0, 0));
    }

    [Fact]
    public async Task Binary_garbage_is_not_a_csv_file()
    {
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
        var random = new byte[300_000];
        new Random(11).NextBytes(random);

        foreach (var garbage in new[] { png, random })
        {
            var answer = await UploadAsync(garbage, "photo.csv");
            (await AppFactory.ReadAsync(answer, HttpStatusCode.UnprocessableEntity)).ShouldContain("That is not a CSV file.");
        }

        (await StoredAsync()).ShouldBe((0, 0));
    }

    [Fact]
    public async Task An_upload_whose_file_expired_says_so_in_both_languages_and_cannot_be_started()
    {
        var uploaded = await UploadAsync("Voornaam;E-mail\nJan;jan@example.com\n");
        var detail = uploaded.Headers.Location!.OriginalString;
        await using (var session = app.Services.GetRequiredService<IDocumentStore>().LightweightSession(tenantId.ToString()))
        {
            var run = (await session.LoadAsync<ImportRun>(Guid.Parse(detail.Split('/')[^1]))).ShouldNotBeNull();
            session.Store(run with { Status = ImportStatus.Expired, Chunks = 0, CompletedAt = DateTimeOffset.UtcNow });
            session.DeleteWhere<ImportChunk>(c => c.ImportId == run.Id);
            await session.SaveChangesAsync();
        }

        var page = await AppFactory.ReadAsync(await manager.GetAsync(detail), HttpStatusCode.OK);
        page.ShouldContain("This file was not imported within a day of its upload, so it was deleted");
        page.ShouldNotContain("<select", customMessage: "no mapping is offered for a file that is gone");
        (await AppFactory.ReadAsync(await manager.GetAsync(detail + "?lang=nl"), HttpStatusCode.OK)).ShouldContain("niet binnen een dag na het uploaden");
        (await AppFactory.ReadAsync(await manager.GetAsync("/admin/import"), HttpStatusCode.OK)).ShouldContain("Deleted unstarted");
        (await StoredAsync()).ShouldBe((1, 0));
    }

    [Fact]
    public async Task No_file_chosen_gets_a_message()
    {
        var html = await AppFactory.ReadAsync(await manager.GetAsync("/admin/import"), HttpStatusCode.OK);
        var form = new MultipartFormDataContent { { new StringContent(Forms.AntiforgeryToken(html)), "__RequestVerificationToken" } };

        (await AppFactory.ReadAsync(await manager.PostAsync("/admin/import", form), HttpStatusCode.UnprocessableEntity)).ShouldContain("Choose a CSV file to upload.");
    }

    [Fact]
    public async Task Hostile_strings_in_every_column_are_shown_escaped_imported_or_reported_and_never_a_500()
    {
        var corpus = JsonSerializer.Deserialize<string[]>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "SignUps", "NaughtyStrings", "blns.json")))!;
        string Quote(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        var text = new StringBuilder("Voornaam;Achternaam;E-mail;Telefoon;Postcode;Geboortedatum\n");
        for (var i = 0; i < corpus.Length; i++)
        {
            var hostile = corpus[i];
            text.Append(string.Join(';', Quote(hostile), Quote(hostile), i % 2 == 0 ? $"klant{i}@example.com" : Quote(hostile), Quote(hostile), Quote(hostile), Quote(hostile))).Append('\n');
        }

        var uploaded = await UploadAsync(text.ToString());
        uploaded.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var detail = uploaded.Headers.Location!.OriginalString;
        var mapping = await AppFactory.ReadAsync(await manager.GetAsync(detail), HttpStatusCode.OK);
        mapping.ShouldNotContain("<script>alert(");

        (await StartAsync(detail)).ShouldBe("started");
        await RunJobAsync(detail);

        var report = await AppFactory.ReadAsync(await manager.GetAsync(detail), HttpStatusCode.OK);
        report.ShouldNotContain("<script>alert(");
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenantId.ToString());
        var run = (await session.Query<ImportRun>().SingleAsync());
        (run.Imported + run.AlreadyThere + run.ErrorCount + run.EmptyRows).ShouldBe(run.RowsTotal);
        run.Imported.ShouldBeGreaterThan(0);
        run.ErrorCount.ShouldBeGreaterThan(0);
        (await AppFactory.ReadAsync(await manager.GetAsync("/admin/signups?source=import"), HttpStatusCode.OK)).ShouldNotContain("<script>alert(");
    }

    [GeneratedRegex("""<select id="map-\d+" name="(?<name>Mapping\[\d+\])"[^>]*>(?<options>.*?)</select>""", RegexOptions.Singleline)]
    private static partial Regex SelectRegex();

    [GeneratedRegex("""<option value="(?<value>\w+)" selected="selected">""")]
    private static partial Regex SelectedRegex();

    [GeneratedRegex("""<td class="number">(\d+)</td>\s*<td>""")]
    private static partial Regex RowRegex();

    /// <summary>A body of <paramref name="length"/> bytes that counts how much of it was read.</summary>
    private sealed class CountingStream(long length) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        // Seekable, so the multipart body has a Content-Length, as a browser's upload has.
        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => BytesRead; set => Seek(value, SeekOrigin.Begin); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - BytesRead);
            Array.Fill(buffer, (byte)'a', offset, n);
            BytesRead += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => offset == 0 && origin == SeekOrigin.Begin && BytesRead == 0 ? 0 : throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
