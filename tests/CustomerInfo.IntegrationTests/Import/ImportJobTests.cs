using System.Text;
using CustomerInfo.Application.Contacts.LinkSignUpToContact;
using CustomerInfo.Application.Import;
using CustomerInfo.Application.Import.GetImport;
using CustomerInfo.Application.Import.RunImport;
using CustomerInfo.Application.Import.StartImport;
using CustomerInfo.Application.Import.UploadImport;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.TestSupport;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.Import;

/// <summary>
/// The import job against real PostgreSQL: the same shopper is never imported twice (a file
/// imported again, a corrected file, two rows of one file, a shopper who signed up at the kiosk),
/// and a worker stopped mid-file resumes without creating anything twice.
/// </summary>
public class ImportJobTests(ImportJobTests.App app) : IClassFixture<ImportJobTests.App>, IAsyncLifetime
{
    private const string Store = "acme";

    /// <summary>
    /// Without the contact-linking daemon, so what is measured and checked is the job alone (the
    /// kiosk test links its sign-up itself); linking imported sign-ups is the daemon's usual work.
    /// </summary>
    public sealed class App : AppFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings => [.. base.Settings, new("Marten:Daemon:Enabled", "false")];
    }

    private Guid tenantId;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        tenantId = await app.AddStoreAsync(Store, "Acme Shoes");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static string File(int rows, int from = 0, Func<int, string?>? line = null)
    {
        var text = new StringBuilder("Voornaam;Achternaam;E-mail;Telefoon;Toestemming e-mail;Datum toestemming e-mail\n");
        for (var i = from; i < from + rows; i++)
        {
            text.Append(line?.Invoke(i) ?? $"Klant{i};Test;klant{i}@example.com;;ja;01-03-2024\n");
        }

        return text.ToString();
    }

    private async Task<ImportRun> UploadAndStartAsync(string text)
    {
        var uploaded = await app.SendAsync(Store, new UploadImportCommand("klanten.csv", new MemoryStream(Encoding.UTF8.GetBytes(text))));
        var id = uploaded.ImportId.ShouldNotBeNull();
        var view = (await app.SendAsync(Store, new GetImportQuery(id))).ShouldNotBeNull();
        (await app.SendAsync(Store, new StartImportCommand(id, view.Run.Mapping, SendToCrm: false))).ShouldBe(StartImportOutcome.Started);
        return view.Run;
    }

    private async Task<ImportRun> RunAsync(Guid importId, CancellationToken cancellationToken = default)
    {
        await using var scope = await StoreScope.EnterAsync(app, Store, Application.Common.Security.Actor.System("jobs"));
        await scope.ServiceProvider.GetRequiredService<Mediator.ISender>().Send(new RunImportCommand(tenantId, importId), cancellationToken);
        return await RunOf(importId);
    }

    private async Task<ImportRun> RunOf(Guid importId)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenantId.ToString());
        return (await session.LoadAsync<ImportRun>(importId)).ShouldNotBeNull();
    }

    private async Task<List<SignUpSummary>> ImportedSignUps()
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenantId.ToString());
        return (await session.Query<SignUpSummary>().Where(s => s.Source == SignUpSource.Import).ToListAsync()).ToList();
    }

    [Fact]
    public async Task Rows_become_sign_ups_from_the_import_with_consent_proved_as_imported()
    {
        var run = await UploadAndStartAsync(File(3));

        var done = await RunAsync(run.Id);

        done.Status.ShouldBe(ImportStatus.Completed);
        (done.RowsTotal, done.RowsDone, done.Imported, done.AlreadyThere, done.ErrorCount).ShouldBe((3, 3, 3, 0, 0));
        var signUps = await ImportedSignUps();
        signUps.Count.ShouldBe(3);
        signUps.ShouldAllBe(s => s.ImportId == run.Id && s.EmailConsent);

        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenantId.ToString());
        var submitted = (await session.Events.FetchStreamAsync(signUps[0].Id)).Select(e => e.Data).OfType<SignUpSubmitted>().Single();
        submitted.Source.ShouldBe(SignUpSource.Import);
        var proof = submitted.EmailConsent.ShouldNotBeNull();
        proof.Location.ShouldBe("import");
        proof.Text.ShouldStartWith("Imported from klanten.csv on ");
        proof.Text.ShouldEndWith("consent given on 2024-02-29, wording not recorded".Replace("2024-02-29", proof.GivenAt.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        TimeZoneInfo.ConvertTime(proof.GivenAt, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).Date.ShouldBe(new DateTime(2024, 3, 1));
        (await session.Query<ImportChunk>().CountAsync()).ShouldBe(0, "the file is deleted once imported");
    }

    [Fact]
    public async Task The_same_file_imported_again_creates_nothing_new()
    {
        var file = File(20);
        (await RunAsync((await UploadAndStartAsync(file)).Id)).Imported.ShouldBe(20);

        var again = await RunAsync((await UploadAndStartAsync(file)).Id);

        (again.Imported, again.AlreadyThere).ShouldBe((0, 20));
        (await ImportedSignUps()).Count.ShouldBe(20);
    }

    [Fact]
    public async Task A_corrected_file_imports_only_the_rows_that_were_wrong_before()
    {
        // Rows 3 and 7 have a bad email in the first file; the second file has them right.
        var first = await RunAsync((await UploadAndStartAsync(File(10, line: i => i is 3 or 7 ? $"Klant{i};Test;klant{i}-at-example.com;;;\n" : null))).Id);
        (first.Imported, first.ErrorCount).ShouldBe((8, 2));
        first.Errors.Select(e => (e.Row, e.Field, e.Problem)).ShouldBe([(5, ImportField.Email, ImportProblem.EmailInvalid), (9, ImportField.Email, ImportProblem.EmailInvalid)]);

        var corrected = await RunAsync((await UploadAndStartAsync(File(10))).Id);

        (corrected.Imported, corrected.AlreadyThere, corrected.ErrorCount).ShouldBe((2, 8, 0));
        (await ImportedSignUps()).Select(s => s.Email).Distinct().Count().ShouldBe(10);
    }

    [Fact]
    public async Task Two_rows_of_one_file_with_the_same_email_or_phone_are_one_shopper()
    {
        var run = await RunAsync((await UploadAndStartAsync(File(0) +
            "Ann;A;ann@example.com;0612345678;;\n" +
            "Ann;B;ANN@example.com ;;;\n" +
            "Ann;C;;06 12345678;;\n")).Id);

        (run.Imported, run.AlreadyThere).ShouldBe((1, 2));
    }

    [Fact]
    public async Task A_shopper_who_signed_up_at_the_kiosk_is_already_there()
    {
        var kiosk = await app.SendAsync(Store, new SubmitSignUpCommand { SubmissionId = Guid.NewGuid(), FirstName = "Klant1", Email = "klant1@example.com" });
        await app.SendAsync(Store, new LinkSignUpToContactCommand(kiosk.SignUpId));

        var run = await RunAsync((await UploadAndStartAsync(File(3))).Id);

        (run.Imported, run.AlreadyThere).ShouldBe((2, 1));
    }

    [Fact]
    public async Task A_worker_stopped_mid_file_resumes_after_the_last_batch_and_creates_nothing_twice()
    {
        const int rows = 6 * RunImportHandler.BatchSize;
        var run = await UploadAndStartAsync(File(rows, line: i => i % 250 == 0 ? $"Klant{i};Test;broken{i};;;\n" : null));

        // Stop the handler once a batch or more is committed, as a worker shut down mid-file would.
        using var stop = new CancellationTokenSource();
        var job = RunAsync(run.Id, stop.Token);
        var seen = 0;
        while (!job.IsCompleted && (seen = (await RunOf(run.Id)).RowsDone) < RunImportHandler.BatchSize)
        {
            await Task.Delay(5);
        }

        await stop.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(job);
        var stopped = await RunOf(run.Id);
        stopped.Status.ShouldBe(ImportStatus.Running);
        stopped.RowsDone.ShouldBeGreaterThanOrEqualTo(RunImportHandler.BatchSize);
        stopped.RowsDone.ShouldBeLessThan(rows, "the handler was stopped before the end, or this test proves nothing");
        (await ImportedSignUps()).Count.ShouldBe(stopped.Imported);

        var done = await RunAsync(run.Id);

        done.Status.ShouldBe(ImportStatus.Completed);
        (done.RowsDone, done.Imported, done.ErrorCount).ShouldBe((rows, rows - 12, 12));
        done.Errors.Select(e => e.Row).ShouldBe(Enumerable.Range(0, 12).Select(i => (i * 250) + 2));
        var signUps = await ImportedSignUps();
        signUps.Count.ShouldBe(rows - 12);
        signUps.Select(s => s.Email).Distinct().Count().ShouldBe(rows - 12);

        // The job run once more (Hangfire retrying a finished job) changes nothing.
        var repeated = await RunAsync(run.Id);
        (repeated.RowsDone, repeated.Imported, repeated.ErrorCount, repeated.CompletedAt).ShouldBe((done.RowsDone, done.Imported, done.ErrorCount, done.CompletedAt));
        (await ImportedSignUps()).Count.ShouldBe(rows - 12);
    }

    [Fact]
    public async Task A_hundred_thousand_rows_complete()
    {
        const int rows = 100_000;
        var upload = System.Diagnostics.Stopwatch.StartNew();
        var run = await UploadAndStartAsync(File(rows));
        Console.WriteLine($"100k upload: {upload.Elapsed}");
        run.RowsTotal.ShouldBe(rows);
        run.Chunks.ShouldBeGreaterThan(1);

        var timer = System.Diagnostics.Stopwatch.StartNew();
        var done = await RunAsync(run.Id);
        Console.WriteLine($"100k job: {timer.Elapsed}");

        (done.Status, done.RowsDone, done.Imported).ShouldBe((ImportStatus.Completed, rows, rows));
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenantId.ToString());
        (await session.Query<SignUpSummary>().CountAsync(s => s.ImportId == run.Id)).ShouldBe(rows);
    }
}
