using System.Text;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Import;
using CustomerInfo.Application.Import.ExpireUnstartedImports;
using CustomerInfo.Application.Import.GetImport;
using CustomerInfo.Application.Import.StartImport;
using CustomerInfo.Application.Import.UploadImport;
using CustomerInfo.TestSupport;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.Import;

/// <summary>
/// An uploaded customer list that nobody starts loses its file after a day (its chunks hold shoppers'
/// details an erasure cannot reach), in every tenant; a started one, or a younger one, keeps it.
/// </summary>
public class UnstartedImportExpiryTests(ClockedAppFactory app) : IClassFixture<ClockedAppFactory>, IAsyncLifetime
{
    private const string File = "Voornaam;E-mail\nJan;jan@example.com\nPiet;piet@example.com\n";

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("acme", "Acme Shoes");
        await app.AddStoreAsync("bravo", "Bravo Books");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Guid> UploadAsync(string store) =>
        (await app.SendAsync(store, new UploadImportCommand("klanten.csv", new MemoryStream(Encoding.UTF8.GetBytes(File))))).ImportId.ShouldNotBeNull();

    private async Task<(ImportRun Run, int Chunks)> StoredAsync(string store, Guid importId)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession((await app.TenantAsync(store)).Id.ToString());
        return ((await session.LoadAsync<ImportRun>(importId)).ShouldNotBeNull(), await session.Query<ImportChunk>().CountAsync(c => c.ImportId == importId));
    }

    [Fact]
    public async Task Only_uploads_left_unstarted_for_over_a_day_lose_their_file_in_every_store()
    {
        var acmeOld = await UploadAsync("acme");
        var bravoOld = await UploadAsync("bravo");
        var started = await UploadAsync("acme");
        var view = (await app.SendAsync("acme", new GetImportQuery(started))).ShouldNotBeNull();
        (await app.SendAsync("acme", new StartImportCommand(started, view.Run.Mapping, SendToCrm: false))).ShouldBe(StartImportOutcome.Started);
        app.Clock.Advance(TimeSpan.FromHours(20));
        var young = await UploadAsync("bravo");
        app.Clock.Advance(TimeSpan.FromHours(5));

        await app.SendAsync(new ExpireUnstartedImportsCommand(), Actor.System("jobs"));

        foreach (var (store, id) in new[] { ("acme", acmeOld), ("bravo", bravoOld) })
        {
            var (run, chunks) = await StoredAsync(store, id);
            (run.Status, run.Chunks, chunks).ShouldBe((ImportStatus.Expired, 0, 0));
            run.CompletedAt.ShouldBe(app.Clock.UtcNow);
            (await app.SendAsync(store, new StartImportCommand(id, run.Mapping, SendToCrm: false))).ShouldBe(StartImportOutcome.AlreadyStarted, "an expired upload cannot be started: its rows are gone");
        }

        (await StoredAsync("acme", started)).Run.Status.ShouldBe(ImportStatus.Running);
        (await StoredAsync("acme", started)).Chunks.ShouldBeGreaterThan(0, "a started import keeps its file until the job is done");
        var (youngRun, youngChunks) = await StoredAsync("bravo", young);
        (youngRun.Status, youngChunks).ShouldBe((ImportStatus.Uploaded, 1));

        await app.SendAsync(new ExpireUnstartedImportsCommand(), Actor.System("jobs"));
        (await StoredAsync("acme", acmeOld)).Run.CompletedAt.ShouldBe(app.Clock.UtcNow, "a second run finds nothing more to do");
    }
}
