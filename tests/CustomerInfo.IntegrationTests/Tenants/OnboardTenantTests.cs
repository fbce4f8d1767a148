using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Application.Tenants.ListTenants;
using CustomerInfo.Application.Tenants.OnboardTenant;
using CustomerInfo.Application.Tenants.ReactivateTenant;
using CustomerInfo.Application.Tenants.SuspendTenant;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.TestSupport;
using FluentValidation;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.Tenants;

public class OnboardTenantTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Onboarding_stores_a_trialing_confirmed_tenant_and_starts_its_history()
    {
        var before = DateTimeOffset.UtcNow;
        var result = await app.SendAsync(new OnboardTenantCommand("Acme", "  Acme Outdoor  "));

        result.Identifier.ShouldBe("acme");
        var tenant = await app.Services.GetRequiredService<ITenantStore>().FindByIdentifierAsync("acme", default);
        tenant.ShouldNotBeNull();
        tenant.Id.ShouldBe(result.TenantId);
        tenant.Name.ShouldBe("Acme Outdoor");
        tenant.Status.ShouldBe(TenantStatus.Trialing);
        tenant.TrialEndsAt.ShouldNotBeNull().ShouldBe(tenant.OnboardedAt.AddDays(14));
        tenant.OnboardedAt.ShouldBeGreaterThanOrEqualTo(before.AddSeconds(-1));
        tenant.EmailConfirmedAt.ShouldBe(tenant.OnboardedAt);
        tenant.NoTrial.ShouldBeFalse();

        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenant.Id.ToString());
        var history = await session.Events.FetchStreamAsync(tenant.Id);
        history.Select(e => e.Data.GetType().Name).ShouldBe([nameof(TenantOnboarded), nameof(TenantEmailConfirmed)]);
        history[0].Data.ShouldBeOfType<TenantOnboarded>().Identifier.ShouldBe("acme");
        history[0].TenantId.ShouldBe(tenant.Id.ToString());
    }

    [Fact]
    public async Task The_tenant_document_is_what_its_stream_replays_to()
    {
        var id = await app.AddStoreAsync("acme", "Acme", TenantStatus.Suspended);

        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(id.ToString());
        var replayed = TenantLifecycle.Replay((await session.Events.FetchStreamAsync(id)).Select(e => e.Data));
        var stored = await session.LoadAsync<Tenant>(id);

        replayed.ShouldNotBeNull();
        stored.ShouldBe(replayed);
        stored!.Status.ShouldBe(TenantStatus.Suspended);
        stored.SuspendedFrom.ShouldBe(TenantStatus.Active);
    }

    [Fact]
    public async Task A_retailer_who_onboards_themselves_waits_for_their_email_and_cannot_skip_the_trial()
    {
        var id = await app.AddUnconfirmedStoreAsync("acme", "Acme");
        var tenant = await app.Services.GetRequiredService<ITenantStore>().FindByIdAsync(id, default);
        tenant.ShouldNotBeNull().EmailConfirmedAt.ShouldBeNull();

        var exception = await Should.ThrowAsync<ValidationException>(() => app.SendAsync(new OnboardTenantCommand("other", "Other", NoTrial: true, ByPlatformOwner: false)));
        exception.Errors.ShouldContain(e => e.PropertyName == "NoTrial");
    }

    [Fact]
    public async Task A_tenant_onboarded_without_a_trial_is_active_with_no_deadline()
    {
        await app.SendAsync(new OnboardTenantCommand("acme", "Acme", NoTrial: true));

        var tenant = (await app.Services.GetRequiredService<ITenantStore>().FindByIdentifierAsync("acme", default))!;
        tenant.Status.ShouldBe(TenantStatus.Active);
        tenant.NoTrial.ShouldBeTrue();
        tenant.TrialEndsAt.ShouldBeNull();
    }

    [Theory]
    [InlineData("www", "Shop", "Subdomain", "reserved")]
    [InlineData("no way", "Shop", "Subdomain", "letters a–z")]
    [InlineData(null, "Shop", "Subdomain", "Choose a subdomain")]
    [InlineData("shop", "", "Name", "Enter the name")]
    [InlineData("shop", "bad\u0007name", "Name", "cannot be shown")]
    public async Task Invalid_input_is_refused_by_the_validation_behaviour_and_stores_nothing(string? subdomain, string? name, string property, string message)
    {
        var exception = await Should.ThrowAsync<ValidationException>(() => app.SendAsync(new OnboardTenantCommand(subdomain, name)));

        exception.Errors.ShouldContain(e => e.PropertyName == property && e.ErrorMessage.Contains(message));
        (await app.SendAsync(new ListTenantsQuery())).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_name_over_the_limit_is_refused()
    {
        var exception = await Should.ThrowAsync<ValidationException>(() => app.SendAsync(new OnboardTenantCommand("shop", new string('x', 81))));
        exception.Errors.ShouldContain(e => e.PropertyName == "Name");
    }

    [Fact]
    public async Task A_taken_subdomain_is_refused_whatever_its_case()
    {
        await app.SendAsync(new OnboardTenantCommand("acme", "Acme"));

        var exception = await Should.ThrowAsync<ValidationException>(() => app.SendAsync(new OnboardTenantCommand("ACME", "Other Acme")));

        exception.Errors.Single().ErrorMessage.ShouldContain("taken");
        (await app.SendAsync(new ListTenantsQuery())).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_suspension_and_a_reactivation_are_seen_at_once_and_kept_in_the_history()
    {
        var id = await app.AddStoreAsync("acme", "Acme", TenantStatus.Active);
        var tenants = app.Services.GetRequiredService<ITenantStore>();
        (await tenants.FindByIdentifierAsync("acme", default))!.Status.ShouldBe(TenantStatus.Active);

        (await app.SendAsync(new SuspendTenantCommand(id))).Outcome.ShouldBe(TenantChangeOutcome.Changed);
        (await tenants.FindByIdentifierAsync("acme", default))!.Status.ShouldBe(TenantStatus.Suspended);
        var again = await app.SendAsync(new SuspendTenantCommand(id));
        again.Refusal.ShouldBe(TenantRefusal.AlreadySuspended);
        again.Explanation.ShouldBe("This store is suspended already.");

        (await app.SendAsync(new ReactivateTenantCommand(id))).Tenant!.Status.ShouldBe(TenantStatus.Active);
        (await tenants.FindByIdentifierAsync("acme", default))!.Status.ShouldBe(TenantStatus.Active);

        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(id.ToString());
        (await session.Events.FetchStreamAsync(id)).Select(e => e.Data.GetType().Name)
            .ShouldBe([nameof(TenantOnboarded), nameof(TenantEmailConfirmed), nameof(TenantSuspended), nameof(TenantReactivated)]);
    }

    [Fact]
    public async Task Changing_an_unknown_tenant_reports_not_found_and_stores_nothing()
    {
        var id = Guid.NewGuid();

        (await app.SendAsync(new SuspendTenantCommand(id))).Outcome.ShouldBe(TenantChangeOutcome.NotFound);
        (await app.SendAsync(new ReactivateTenantCommand(id))).Outcome.ShouldBe(TenantChangeOutcome.NotFound);

        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(id.ToString());
        (await session.Events.FetchStreamStateAsync(id)).ShouldBeNull();
    }

    [Fact]
    public async Task An_unknown_subdomain_is_remembered_as_unknown_until_a_tenant_takes_it()
    {
        var tenants = app.Services.GetRequiredService<ITenantStore>();
        (await tenants.FindByIdentifierAsync("later", default)).ShouldBeNull();

        await app.SendAsync(new OnboardTenantCommand("later", "Later Ltd"));

        (await tenants.FindByIdentifierAsync("later", default)).ShouldNotBeNull().Name.ShouldBe("Later Ltd");
    }

    [Fact]
    public async Task The_tenant_list_is_newest_first()
    {
        await app.SendAsync(new OnboardTenantCommand("first", "First"));
        await app.SendAsync(new OnboardTenantCommand("second", "Second"));

        (await app.SendAsync(new ListTenantsQuery())).Select(t => t.Identifier).ShouldBe(["second", "first"]);
    }
}
