using CustomerInfo.Application.SignUps;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Seeding;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.SignUps;

public class PublishFormDefinitionTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private Guid acme;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        acme = await app.AddStoreAsync("acme", "Acme Shoes");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Publishing_from_the_current_version_makes_the_next_and_keeps_the_old_one()
    {
        (await app.SendAsync("acme", new PublishFormDefinitionCommand(DemoForm.Definition, BasedOnVersion: 0))).Published.ShouldBe(1);

        var outcome = await app.SendAsync("acme", new PublishFormDefinitionCommand(DemoForm.Definition with { IdleSeconds = 90 }, BasedOnVersion: 1));

        outcome.ShouldBe(new FormPublishOutcome(2, 2));
        var tenant = await app.TenantAsync("acme");
        var definitions = app.Services.GetRequiredService<FormDefinitions>();
        (await definitions.CurrentAsync(tenant, default)).IdleSeconds.ShouldBe(90);
        (await definitions.VersionAsync(tenant, 1, default)).IdleSeconds.ShouldBe(DemoForm.Definition.IdleSeconds);
        (await PublishedEventsAsync()).Select(e => ((FormDefinitionPublished)e.Data).Version).ShouldBe([1, 2]);
    }

    [Fact]
    public async Task A_publish_from_an_older_version_writes_nothing_and_names_the_version_published_meanwhile()
    {
        await app.SendAsync("acme", new PublishFormDefinitionCommand(DemoForm.Definition, BasedOnVersion: 0));
        await app.SendAsync("acme", new PublishFormDefinitionCommand(DemoForm.Definition with { IdleSeconds = 90 }, BasedOnVersion: 1));

        var outcome = await app.SendAsync("acme", new PublishFormDefinitionCommand(DemoForm.Definition with { IdleSeconds = 30 }, BasedOnVersion: 1));

        outcome.IsConflict.ShouldBeTrue();
        outcome.CurrentVersion.ShouldBe(2);
        (await app.Services.GetRequiredService<FormDefinitions>().CurrentAsync(await app.TenantAsync("acme"), default)).IdleSeconds.ShouldBe(90);
        (await PublishedEventsAsync()).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Of_managers_publishing_from_the_same_version_at_once_exactly_one_wins()
    {
        await app.SendAsync("acme", new PublishFormDefinitionCommand(DemoForm.Definition, BasedOnVersion: 0));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            app.SendAsync("acme", new PublishFormDefinitionCommand(DemoForm.Definition with { IdleSeconds = 100 + i }, BasedOnVersion: 1)))));

        var winner = outcomes.Where(o => !o.IsConflict).ShouldHaveSingleItem();
        winner.Published.ShouldBe(2);
        outcomes.Where(o => o.IsConflict).ShouldAllBe(o => o.CurrentVersion == 2);
        (await PublishedEventsAsync()).Count.ShouldBe(2);
        var current = await app.Services.GetRequiredService<FormDefinitions>().CurrentAsync(await app.TenantAsync("acme"), default);
        current.Version.ShouldBe(2);
        var version2 = await app.Services.GetRequiredService<FormDefinitions>().VersionAsync(await app.TenantAsync("acme"), 2, default);
        version2.IdleSeconds.ShouldBe(current.IdleSeconds);
    }

    [Fact]
    public async Task Two_first_publishes_at_once_start_the_form_stream_once()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            app.SendAsync("acme", new PublishFormDefinitionCommand(DemoForm.Definition, BasedOnVersion: 0)))));

        outcomes.Count(o => !o.IsConflict).ShouldBe(1);
        (await PublishedEventsAsync()).Count.ShouldBe(1);
    }


    private async Task<IReadOnlyList<IEvent>> PublishedEventsAsync()
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(acme.ToString());
        return await session.Events.FetchStreamAsync(PublishFormDefinitionHandler.FormStreamId);
    }
}
