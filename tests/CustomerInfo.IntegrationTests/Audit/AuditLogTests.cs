using CustomerInfo.Application.Audit;
using CustomerInfo.Application.Audit.ListAuditLog;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Crm;
using CustomerInfo.Application.Crm.Connection;
using CustomerInfo.Application.SignUps.ExportSignUps;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.Team.ChangeMemberRole;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.TestSupport;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.Audit;

/// <summary>The audit log over events appended as the app appends them, with their headers, in two tenants.</summary>
public class AuditLogTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private Guid acme;
    private Guid bravo;
    private TeamMember ann = null!;
    private TeamMember bob = null!;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        acme = await app.AddStoreAsync("acme", "Acme Shoes");
        bravo = await app.AddStoreAsync("bravo", "Bravo Books");
        ann = await app.AddMemberAsync("acme", "ann@acme.test", TeamRole.Owner);
        bob = await app.AddMemberAsync("acme", "bob@acme.test", TeamRole.Staff);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Actor Ann(string address = "203.0.113.7") => Actor.Member(acme, ann.Id, TeamRole.Owner, address);

    private Task<AuditLogPage> LogAsync(ListAuditLogQuery? query = null, string store = "acme", Actor? actor = null) =>
        app.SendAsync(store, query ?? new ListAuditLogQuery(), actor ?? Ann());

    [Fact]
    public async Task An_Owner_sees_who_changed_a_role_and_exported_sign_ups_when_and_from_where_newest_first()
    {
        await app.SendAsync("acme", new ChangeMemberRoleCommand(bob.Id, TeamRole.Manager), Ann());
        await app.SendAsync("acme", new RecordSignUpsExportCommand(Guid.NewGuid(), new SignUpFilter(Search: "ann@example.com", EmailConsent: true), 12, true), Ann("198.51.100.4"));
        await app.SendAsync("acme", CustomerInfo.IntegrationTests.Shoppers.Shoppers.Quintessa(), Actor.Anonymous);

        var log = await LogAsync();

        var export = log.Entries[0];
        export.Category.ShouldBe(AuditCategory.Exports);
        export.Who.ShouldBe("ann@acme.test");
        export.ClientAddress.ShouldBe("198.51.100.4");
        export.What.ShouldBe("Exported the sign-ups (email consent: yes): 12 in the file. With a search, which the log does not keep.");
        export.What.ShouldNotContain("ann@example.com");
        var role = log.Entries[1];
        role.Category.ShouldBe(AuditCategory.Team);
        role.What.ShouldBe("Changed the role of bob@acme.test from Staff to Manager");
        role.ClientAddress.ShouldBe("203.0.113.7");
        role.At.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));
        log.Entries.ShouldAllBe(e => e.At <= role.At || e == export);
        // The shopper's sign-up is nowhere, nor anything they gave.
        log.Entries.ShouldNotContain(e => e.What.Contains("Quintessa", StringComparison.OrdinalIgnoreCase));
        log.People.Select(p => p.Name).ShouldBe(["ann@acme.test", "bob@acme.test", "CustomerInfo (the platform)", "Automatic (the system)"]);
    }

    [Fact]
    public async Task The_log_filters_by_action_person_and_day_in_the_tenants_time_zone()
    {
        await app.SendAsync("acme", new ChangeMemberRoleCommand(bob.Id, TeamRole.Manager), Ann());
        await AppendAsync("acme", Actor.Member(acme, bob.Id, TeamRole.Manager, "192.0.2.1"), bob.Id, new MemberTwoFactorEnabled(bob.Id, DateTimeOffset.UtcNow));
        await AppendAsync("acme", Ann(), acme, new TenantTwoFactorRequirementSet(acme, true, DateTimeOffset.UtcNow));

        var security = await LogAsync(new ListAuditLogQuery(Action: "security"));
        security.Entries.Select(e => e.What).ShouldBe(["Required every Owner to sign in with two factors", "bob@acme.test turned on two-factor sign-in"]);

        var bobs = await LogAsync(new ListAuditLogQuery(Person: "member:" + bob.Id));
        bobs.Entries.ShouldHaveSingleItem().What.ShouldBe("bob@acme.test turned on two-factor sign-in");
        bobs.Entries[0].ClientAddress.ShouldBe("192.0.2.1");

        var platform = await LogAsync(new ListAuditLogQuery(Person: "platform"));
        platform.Entries.ShouldContain(e => e.Category == AuditCategory.Billing && e.Who == "CustomerInfo (the platform)");
        platform.Entries.ShouldAllBe(e => e.Who == "CustomerInfo (the platform)");

        var zone = TimeZoneInfo.FindSystemTimeZoneById(Domain.Stores.StoreTimeZones.Default);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime);
        (await LogAsync(new ListAuditLogQuery(Action: "team", From: Day(today), To: Day(today)))).Entries.ShouldHaveSingleItem();
        (await LogAsync(new ListAuditLogQuery(From: Day(today.AddDays(1))))).Entries.ShouldBeEmpty();
        (await LogAsync(new ListAuditLogQuery(To: Day(today.AddDays(-1))))).Entries.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_sign_in_recorded_without_an_actor_is_the_members_own_and_found_by_their_name()
    {
        await AppendAsync("acme", null, bob.Id, new MemberSignedIn(bob.Id, true, DateTimeOffset.UtcNow));

        var signIns = await LogAsync(new ListAuditLogQuery(Person: "member:" + bob.Id, Action: "SignIns"));

        var entry = signIns.Entries.ShouldHaveSingleItem();
        entry.Who.ShouldBe("bob@acme.test");
        entry.What.ShouldBe("Signed in with a password and a second factor");
        entry.ClientAddress.ShouldBeNull();
    }

    [Fact]
    public async Task Pages_follow_one_another_without_gaps_or_repeats()
    {
        for (var i = 0; i < 7; i++)
        {
            await AppendAsync("acme", Ann(), ann.Id, new MemberSignedIn(ann.Id, false, DateTimeOffset.UtcNow));
        }

        var seen = new List<long>();
        string? before = null;
        var pages = 0;
        do
        {
            var page = await LogAsync(new ListAuditLogQuery(Action: "signins", Before: before, PageSize: 3));
            seen.AddRange(page.Entries.Select(e => e.Sequence));
            before = page.Older;
            pages++;
        }
        while (before is not null && pages < 10);

        pages.ShouldBe(3);
        seen.Count.ShouldBe(7);
        seen.ShouldBeUnique();
        seen.ShouldBe(seen.OrderByDescending(s => s).ToList());
    }

    [Fact]
    public async Task Another_tenants_events_never_appear()
    {
        var olga = await app.AddMemberAsync("bravo", "olga@bravo.test", TeamRole.Owner);
        await AppendAsync("bravo", Actor.Member(bravo, olga.Id, TeamRole.Owner, "10.9.9.9"), olga.Id, new MemberTwoFactorEnabled(olga.Id, DateTimeOffset.UtcNow));
        await AppendAsync("bravo", Actor.Member(bravo, olga.Id, TeamRole.Owner, "10.9.9.9"), bravo, new TenantRetentionSet(bravo, 12, DateTimeOffset.UtcNow));

        var acmes = await LogAsync();
        var bravos = await LogAsync(store: "bravo", actor: Actor.Member(bravo, olga.Id, TeamRole.Owner));

        acmes.Entries.ShouldNotContain(e => e.ClientAddress == "10.9.9.9" || e.Category == AuditCategory.Security || e.Category == AuditCategory.Privacy);
        acmes.People.ShouldNotContain(p => p.Name == "olga@bravo.test");
        bravos.Entries.Count(e => e.ClientAddress == "10.9.9.9").ShouldBe(2);
        // Even naming bravo's member on acme's log finds nothing of bravo's.
        (await LogAsync(new ListAuditLogQuery(Person: "member:" + olga.Id))).Entries.ShouldBeEmpty();
    }

    [Fact]
    public async Task Only_an_Owner_may_read_the_log()
    {
        await Should.ThrowAsync<AccessDeniedException>(() => LogAsync(actor: Actor.Member(acme, bob.Id, TeamRole.Manager)));
        await Should.ThrowAsync<AccessDeniedException>(() => LogAsync(actor: Actor.Member(bravo, Guid.NewGuid(), TeamRole.Owner)));
    }

    [Fact]
    public async Task Disconnecting_the_CRM_is_recorded_with_its_name_and_none_of_its_settings()
    {
        var connection = Guid.NewGuid();
        await using (var scope = await StoreScope.EnterAsync(app, "acme"))
        {
            var session = scope.ServiceProvider.GetRequiredService<IDocumentSession>();
            session.Store(new CrmConnection { ConnectionId = connection, Kind = CrmNames.HubSpot, Settings = new Dictionary<string, string> { ["portal"] = "https://secret.example/hook?key=abc" }, Active = true });
            await session.SaveChangesAsync();
        }

        (await app.SendAsync("acme", new DisconnectCrmCommand(), Actor.Member(acme, ann.Id, TeamRole.Manager, "203.0.113.8"))).ShouldBeTrue();

        var crm = await LogAsync(new ListAuditLogQuery(Action: "crm"));
        var entry = crm.Entries.ShouldHaveSingleItem();
        entry.What.ShouldBe("Disconnected HubSpot");
        entry.Who.ShouldBe("ann@acme.test");
        await using var query = app.Services.GetRequiredService<IDocumentStore>().QuerySession(acme.ToString());
        var stored = (await query.Events.FetchStreamAsync(connection)).ShouldHaveSingleItem();
        System.Text.Json.JsonSerializer.Serialize(stored.Data).ShouldNotContain("secret.example");
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Appends as <paramref name="actor"/> would through the app: the session listener reads the ambient actor (null: nobody signed in yet).</summary>
    private async Task AppendAsync(string store, Actor? actor, Guid stream, object @event)
    {
        await using var scope = await StoreScope.EnterAsync(app, store, actor ?? Actor.Anonymous);
        scope.ServiceProvider.GetRequiredService<ActorContext>().Flow();
        var session = scope.ServiceProvider.GetRequiredService<IDocumentSession>();
        session.Events.Append(stream, @event);
        await session.SaveChangesAsync();
    }
}
