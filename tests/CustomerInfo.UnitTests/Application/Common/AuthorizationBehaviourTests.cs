using CustomerInfo.Application.Common.Behaviours;
using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Tenants;
using Mediator;

namespace CustomerInfo.UnitTests.Application.Common;

public class AuthorizationBehaviourTests
{
    private static readonly Guid Acme = Guid.NewGuid();
    private static readonly Guid Bravo = Guid.NewGuid();

    public static TheoryData<string, Guid?, bool, bool, bool, bool, bool> Matrix => new()
    {
        // actor, host tenant, public, staff, manager, owner-only, job
        { "anonymous", Acme, true, false, false, false, false },
        { "staff", Acme, true, true, false, false, false },
        { "manager", Acme, true, true, true, false, false },
        { "owner", Acme, true, true, true, false, false },
        { "owner", Bravo, true, false, false, false, false },
        { "owner", null, true, false, false, false, false },
        { "platform-owner", null, true, false, false, true, false },
        { "platform-owner", Acme, true, false, false, true, false },
        { "system", Acme, false, false, false, false, true },
        { "system", null, false, false, false, false, true },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Each_actor_may_send_exactly_what_its_rule_allows(string actorName, Guid? host, bool anyone, bool staff, bool manager, bool platformOwner, bool job)
    {
        var actor = ActorNamed(actorName);

        AccessRule.Of(typeof(PublicRequest))!.Allows(actor, host).ShouldBe(anyone);
        AccessRule.Of(typeof(StaffRequest))!.Allows(actor, host).ShouldBe(staff);
        AccessRule.Of(typeof(ManagerRequest))!.Allows(actor, host).ShouldBe(manager);
        AccessRule.Of(typeof(OwnerConsoleRequest))!.Allows(actor, host).ShouldBe(platformOwner);
        AccessRule.Of(typeof(JobRequest))!.Allows(actor, host).ShouldBe(job);
    }

    [Fact]
    public void A_request_with_no_rule_or_two_rules_has_no_rule()
    {
        AccessRule.Of(typeof(UndeclaredRequest)).ShouldBeNull();
        AccessRule.Of(typeof(TwiceDeclaredRequest)).ShouldBeNull();
    }

    [Fact]
    public void A_job_command_with_a_role_may_come_from_the_system_and_from_members()
    {
        var rule = AccessRule.Of(typeof(StaffOrJobRequest))!;

        rule.Allows(Actor.System("jobs"), Acme).ShouldBeTrue();
        rule.Allows(Actor.Member(Acme, Guid.NewGuid(), TeamRole.Staff), Acme).ShouldBeTrue();
        rule.Allows(Actor.Anonymous, Acme).ShouldBeFalse();
    }

    [Fact]
    public async Task The_behaviour_refuses_before_the_handler_runs_and_says_whether_the_actor_is_of_another_tenant()
    {
        var actors = new ActorContext();
        actors.Set(Actor.Member(Bravo, Guid.NewGuid(), TeamRole.Owner));
        var behaviour = new AuthorizationBehaviour<StaffRequest, Unit>(actors, new FixedTenant(Acme));
        var ran = false;

        var denied = await Should.ThrowAsync<AccessDeniedException>(async () =>
            await behaviour.Handle(new StaffRequest(), (_, _) => { ran = true; return ValueTask.FromResult(Unit.Value); }, default));

        denied.OtherTenant.ShouldBeTrue();
        ran.ShouldBeFalse();
        actors.Set(Actor.Member(Acme, Guid.NewGuid(), TeamRole.Staff));
        (await Should.ThrowAsync<AccessDeniedException>(async () => await new AuthorizationBehaviour<ManagerRequest, Unit>(actors, new FixedTenant(Acme))
            .Handle(new ManagerRequest(), (_, _) => ValueTask.FromResult(Unit.Value), default))).OtherTenant.ShouldBeFalse();
        await behaviour.Handle(new StaffRequest(), (_, _) => { ran = true; return ValueTask.FromResult(Unit.Value); }, default);
        ran.ShouldBeTrue();
    }

    [Fact]
    public async Task A_request_without_a_rule_is_refused_to_everyone()
    {
        var actors = new ActorContext();
        actors.Set(Actor.PlatformOwner());

        await Should.ThrowAsync<AccessDeniedException>(async () => await new AuthorizationBehaviour<UndeclaredRequest, Unit>(actors, new FixedTenant(null))
            .Handle(new UndeclaredRequest(), (_, _) => ValueTask.FromResult(Unit.Value), default));
    }

    [Fact]
    public void Every_request_of_the_application_declares_exactly_one_rule()
    {
        var requests = typeof(ActorContext).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IMessage).IsAssignableFrom(t))
            .ToList();

        requests.Count.ShouldBeGreaterThan(10);
        requests.Where(t => AccessRule.Of(t) is null).Select(t => t.Name).ShouldBeEmpty();
    }

    private static Actor ActorNamed(string name) => name switch
    {
        "anonymous" => Actor.Anonymous,
        "staff" => Actor.Member(Acme, Guid.NewGuid(), TeamRole.Staff),
        "manager" => Actor.Member(Acme, Guid.NewGuid(), TeamRole.Manager),
        "owner" => Actor.Member(Acme, Guid.NewGuid(), TeamRole.Owner),
        "platform-owner" => Actor.PlatformOwner(),
        _ => Actor.System("jobs"),
    };

    [Anyone]
    private sealed record PublicRequest : ICommand;

    [RequiresRole(TeamRole.Staff)]
    private sealed record StaffRequest : ICommand;

    [RequiresRole(TeamRole.Manager)]
    private sealed record ManagerRequest : ICommand;

    [PlatformOwnerOnly]
    private sealed record OwnerConsoleRequest : ICommand;

    private sealed record JobRequest : IJobCommand;

    [RequiresRole(TeamRole.Staff)]
    private sealed record StaffOrJobRequest : IJobCommand;

    private sealed record UndeclaredRequest : ICommand;

    [Anyone]
    [PlatformOwnerOnly]
    private sealed record TwiceDeclaredRequest : ICommand;

    private sealed class FixedTenant(Guid? id) : ITenantContext
    {
        public Tenant? Tenant { get; } = id is { } value ? new Tenant(value, "acme", "Acme", TenantStatus.Active, DateTimeOffset.UnixEpoch) : null;
    }
}
