using CustomerInfo.Application.SignUps.FormDrafts;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.TestSupport;

namespace CustomerInfo.IntegrationTests.SignUps;

public class FormDraftTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("acme", "Acme Shoes");
        await app.AddStoreAsync("bravo", "Bravo Books");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_saved_draft_is_read_back_by_its_tenant_only()
    {
        var draft = FormDefinition.StarterFor("Acme Shoes") with { IdleSeconds = 120 };

        await app.SendAsync("acme", new SaveFormDraftCommand(draft, BasedOnVersion: 0));

        var acme = await app.SendAsync("acme", new GetFormBuilderQuery());
        acme.Draft.ShouldNotBeNull().Definition.IdleSeconds.ShouldBe(120);
        acme.Draft.BasedOnVersion.ShouldBe(0);
        acme.Editing.IdleSeconds.ShouldBe(120);
        var bravo = await app.SendAsync("bravo", new GetFormBuilderQuery());
        bravo.Draft.ShouldBeNull();
        bravo.Editing.IdleSeconds.ShouldBe(FormDefinition.StarterFor("Bravo Books").IdleSeconds);
        bravo.Published.Version.ShouldBe(0, "never published: the starter form, version 0");
    }

    [Fact]
    public async Task Saving_again_replaces_the_draft_and_discarding_leaves_the_published_form()
    {
        await app.SendAsync("acme", new PublishFormDefinitionCommand(FormDefinition.StarterFor("Acme Shoes"), BasedOnVersion: 0));
        await app.SendAsync("acme", new SaveFormDraftCommand(FormDefinition.StarterFor("Acme Shoes") with { IdleSeconds = 120 }, 1));
        await app.SendAsync("acme", new SaveFormDraftCommand(FormDefinition.StarterFor("Acme Shoes") with { IdleSeconds = 240 }, 1));

        (await app.SendAsync("acme", new GetFormBuilderQuery())).Draft.ShouldNotBeNull().Definition.IdleSeconds.ShouldBe(240);

        await app.SendAsync("bravo", new DiscardFormDraftCommand());
        (await app.SendAsync("acme", new GetFormBuilderQuery())).Draft.ShouldNotBeNull("another tenant's discard leaves this draft");
        await app.SendAsync("acme", new DiscardFormDraftCommand());

        var state = await app.SendAsync("acme", new GetFormBuilderQuery());
        state.Draft.ShouldBeNull();
        state.Published.Version.ShouldBe(1);
        state.Editing.IdleSeconds.ShouldBe(FormDefinition.StarterFor("Acme Shoes").IdleSeconds);
    }

    [Fact]
    public async Task A_draft_started_before_someone_else_published_is_behind()
    {
        await app.SendAsync("acme", new SaveFormDraftCommand(FormDefinition.StarterFor("Acme Shoes"), 0));
        await app.SendAsync("acme", new PublishFormDefinitionCommand(FormDefinition.StarterFor("Acme Shoes"), BasedOnVersion: 0));

        var state = await app.SendAsync("acme", new GetFormBuilderQuery());

        state.DraftIsBehind.ShouldBeTrue();
        state.BasedOnVersion.ShouldBe(0);
        state.Published.Version.ShouldBe(1);
    }
}
