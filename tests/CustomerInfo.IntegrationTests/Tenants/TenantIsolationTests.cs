using CustomerInfo.Infrastructure.Tenancy;
using CustomerInfo.TestSupport;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.Tenants;

public sealed record Note(Guid Id, string Text);

public sealed record NoteWritten(string Text);

public class TenantIsolationTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_document_written_for_one_tenant_is_invisible_to_another_with_the_same_id()
    {
        var a = await app.AddStoreAsync("alpha", "Alpha");
        var b = await app.AddStoreAsync("bravo", "Bravo");
        var id = Guid.NewGuid();

        await WithTenantSession("alpha", async session => { session.Store(new Note(id, "alpha's")); await session.SaveChangesAsync(); });
        await WithTenantSession("bravo", async session => (await session.LoadAsync<Note>(id)).ShouldBeNull());
        await WithTenantSession("bravo", async session => { session.Store(new Note(id, "bravo's")); await session.SaveChangesAsync(); });

        await WithTenantSession("alpha", async session => (await session.LoadAsync<Note>(id))!.Text.ShouldBe("alpha's"));
        await WithTenantSession("bravo", async session => (await session.LoadAsync<Note>(id))!.Text.ShouldBe("bravo's"));
        await WithTenantSession("alpha", async session => (await session.Query<Note>().CountAsync()).ShouldBe(1));

        var store = app.Services.GetRequiredService<IDocumentStore>();
        await using var raw = store.QuerySession(a.ToString());
        (await raw.LoadAsync<Note>(id))!.Text.ShouldBe("alpha's");
        await using var other = store.QuerySession(b.ToString());
        (await other.LoadAsync<Note>(id))!.Text.ShouldBe("bravo's");
    }

    [Fact]
    public async Task An_event_stream_written_for_one_tenant_is_invisible_to_another_with_the_same_id()
    {
        await app.AddStoreAsync("alpha", "Alpha");
        await app.AddStoreAsync("bravo", "Bravo");
        var streamId = Guid.NewGuid();

        await WithTenantSession("alpha", async session =>
        {
            session.Events.StartStream(streamId, new NoteWritten("a1"), new NoteWritten("a2"));
            await session.SaveChangesAsync();
        });
        await WithTenantSession("bravo", async session => (await session.Events.FetchStreamAsync(streamId)).ShouldBeEmpty());
        await WithTenantSession("bravo", async session =>
        {
            session.Events.StartStream(streamId, new NoteWritten("b1"));
            await session.SaveChangesAsync();
        });

        await WithTenantSession("alpha", async session =>
            (await session.Events.FetchStreamAsync(streamId)).Select(e => ((NoteWritten)e.Data).Text).ShouldBe(["a1", "a2"]));
        await WithTenantSession("bravo", async session =>
            (await session.Events.FetchStreamAsync(streamId)).Select(e => ((NoteWritten)e.Data).Text).ShouldBe(["b1"]));
    }

    [Fact]
    public async Task Without_a_tenant_there_is_no_scoped_session()
    {
        await using var scope = app.Services.CreateAsyncScope();
        Should.Throw<InvalidOperationException>(() => scope.ServiceProvider.GetRequiredService<IDocumentSession>())
            .Message.ShouldContain("needs a store");
        Should.Throw<InvalidOperationException>(() => scope.ServiceProvider.GetRequiredService<IQuerySession>());
    }

    [Fact]
    public async Task The_tenant_of_a_scope_cannot_be_switched()
    {
        await app.AddStoreAsync("alpha", "Alpha");
        await app.AddStoreAsync("bravo", "Bravo");
        await using var scope = app.Services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TenantContext>();
        var tenants = scope.ServiceProvider.GetRequiredService<CustomerInfo.Application.Common.Tenancy.ITenantStore>();
        var alpha = (await tenants.FindByIdentifierAsync("alpha", default))!;
        context.Set(alpha);
        context.Set(alpha);
        Should.Throw<InvalidOperationException>(() => context.Set((tenants.FindByIdentifierAsync("bravo", default).AsTask().Result)!));
    }

    /// <summary>Uses the app's own scoped session, the way a handler does inside a store request.</summary>
    private async Task WithTenantSession(string identifier, Func<IDocumentSession, Task> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var tenant = await scope.ServiceProvider.GetRequiredService<CustomerInfo.Application.Common.Tenancy.ITenantStore>().FindByIdentifierAsync(identifier, default);
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenant!);
        var session = scope.ServiceProvider.GetRequiredService<IDocumentSession>();
        session.TenantId.ShouldBe(tenant!.Id.ToString());
        await work(session);
    }
}
