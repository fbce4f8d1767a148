using System.Net;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Application.Tenants.OnboardTenant;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.TestSupport;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.FunctionalTests.Admin;

/// <summary>A canceled tenant's admin: a banner, exports and sign-out work, every change is refused; its subdomain stays taken.</summary>
public class ReadOnlyAdminTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private HttpClient owner = null!;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        var id = await app.AddStoreAsync("gone", "Gone Shop");
        var facts = app.Services.GetRequiredService<TenantFacts>();
        await facts.RecordAsync(id, new TenantFact.SubscriptionActive("sub_gone", "store", DateTimeOffset.UtcNow), default);
        await facts.RecordAsync(id, new TenantFact.SubscriptionDeleted("sub_gone", DateTimeOffset.UtcNow), default);
        await app.AddMemberAsync("gone", "owner@gone.test", TeamRole.Owner);
        owner = app.ClientFor("gone.localhost");
        await Members.SignedInAsync(owner, "owner@gone.test");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_admin_says_until_when_to_export_and_refuses_a_change_with_a_clear_message()
    {
        var overview = WebUtility.HtmlDecode(await AppFactory.ReadAsync(await owner.GetAsync("/admin?lang=en"), HttpStatusCode.OK));
        overview.ShouldContain("Your subscription ended on");
        overview.ShouldContain("You can export your data until");

        var team = await AppFactory.ReadAsync(await owner.GetAsync("/admin/team"), HttpStatusCode.OK);
        var refused = await owner.PostAsync("/admin/team?handler=Invite", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Forms.AntiforgeryToken(team),
            ["Invite.Email"] = "new@gone.test",
        }));

        var page = WebUtility.HtmlDecode(await AppFactory.ReadAsync(refused, HttpStatusCode.Forbidden));
        page.ShouldContain("Your subscription has ended, so changes are no longer saved.");
        (await AppFactory.ReadAsync(await owner.GetAsync("/admin/signups/export"), HttpStatusCode.OK)).ShouldNotBeEmpty();
        (await app.ClientFor("gone.localhost").GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_refused_change_is_explained_in_the_language_asked_for()
    {
        var team = await AppFactory.ReadAsync(await owner.GetAsync("/admin/team?lang=nl"), HttpStatusCode.OK);
        var refused = await owner.PostAsync("/admin/team?handler=Invite&lang=nl", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Forms.AntiforgeryToken(team),
            ["Invite.Email"] = "new@gone.test",
        }));

        var page = WebUtility.HtmlDecode(await AppFactory.ReadAsync(refused, HttpStatusCode.Forbidden));
        page.ShouldContain("Niet opgeslagen: je kunt alleen kijken");
        page.ShouldContain("<html lang=\"nl\"");
    }

    [Fact]
    public async Task Nobody_else_can_onboard_the_canceled_store_s_subdomain() =>
        await Should.ThrowAsync<ValidationException>(() => app.SendAsync(new OnboardTenantCommand("gone", "Someone Else")));
}
