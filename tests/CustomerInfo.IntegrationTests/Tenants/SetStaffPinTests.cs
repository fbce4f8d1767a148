using CustomerInfo.Application.SignUps.GetSignUpForm;
using CustomerInfo.Application.Tenants.SetStaffPin;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.TestSupport;
using FluentValidation;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.Tenants;

public class SetStaffPinTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private Guid store;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        store = await app.AddStoreAsync("acme", "Acme");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<StaffPin?> StoredAsync(Guid tenant)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenant.ToString());
        return await session.LoadAsync<StaffPin>(StaffPin.DocumentId);
    }

    [Fact]
    public async Task A_store_starts_without_a_pin_and_its_form_carries_none()
    {
        (await StoredAsync(store)).ShouldBeNull();
        (await app.SendAsync("acme", new GetSignUpFormQuery(null, null))).StaffPin.ShouldBeNull();
    }

    [Fact]
    public async Task Setting_a_pin_stores_only_its_hash_records_when_and_the_form_carries_it_at_once()
    {
        (await app.SendAsync(new SetStaffPinCommand(store, "4829"))).ShouldBeTrue();

        var stored = (await StoredAsync(store)).ShouldNotBeNull();
        stored.Matches("4829").ShouldBeTrue();
        var form = await app.SendAsync("acme", new GetSignUpFormQuery(null, null));
        form.StaffPin.ShouldNotBeNull().ForDevice.ShouldBe(stored.ForDevice);

        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(store.ToString());
        var history = await session.Events.FetchStreamAsync(store);
        history.Select(e => e.Data).OfType<StaffPinSet>().ShouldHaveSingleItem().TenantId.ShouldBe(store);
    }

    [Fact]
    public async Task A_new_pin_replaces_the_old_one_even_where_the_form_was_cached()
    {
        await app.SendAsync(new SetStaffPinCommand(store, "4829"));
        var before = await app.SendAsync("acme", new GetSignUpFormQuery(null, null));

        await app.SendAsync(new SetStaffPinCommand(store, "7351"));

        var stored = (await StoredAsync(store)).ShouldNotBeNull();
        stored.Matches("7351").ShouldBeTrue();
        stored.Matches("4829").ShouldBeFalse();
        var after = await app.SendAsync("acme", new GetSignUpFormQuery(null, null));
        after.StaffPin.ShouldNotBeNull().ForDevice.ShouldNotBe(before.StaffPin!.ForDevice);
        after.StaffPin.Matches("7351").ShouldBeTrue();
    }

    [Fact]
    public async Task One_store_s_pin_is_not_another_s()
    {
        var other = await app.AddStoreAsync("bravo", "Bravo");

        await app.SendAsync(new SetStaffPinCommand(store, "4829"));

        (await StoredAsync(other)).ShouldBeNull();
        (await app.SendAsync("bravo", new GetSignUpFormQuery(null, null))).StaffPin.ShouldBeNull();
    }

    [Fact]
    public async Task An_unknown_store_gets_false_and_nothing_is_stored()
    {
        var unknown = Guid.NewGuid();

        (await app.SendAsync(new SetStaffPinCommand(unknown, "4829"))).ShouldBeFalse();

        (await StoredAsync(unknown)).ShouldBeNull();
    }

    [Fact]
    public async Task An_easy_pin_is_refused_by_the_validation_behaviour_and_the_old_one_stays()
    {
        await app.SendAsync(new SetStaffPinCommand(store, "4829"));

        var refused = await Should.ThrowAsync<ValidationException>(() => app.SendAsync(new SetStaffPinCommand(store, "1234")));

        refused.Errors.ShouldHaveSingleItem().PropertyName.ShouldBe(nameof(SetStaffPinCommand.Pin));
        (await StoredAsync(store)).ShouldNotBeNull().Matches("4829").ShouldBeTrue();
    }
}
