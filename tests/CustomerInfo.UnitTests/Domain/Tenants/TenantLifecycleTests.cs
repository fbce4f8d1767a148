using CustomerInfo.Domain.Tenants;

namespace CustomerInfo.UnitTests.Domain.Tenants;

/// <summary>Given the events so far, a fact, then the events (or the refusal) the lifecycle answers with.</summary>
public class TenantLifecycleTests
{
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly DateTimeOffset Start = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Deadline = Start.AddDays(14);

    private static readonly TenantOnboarded OnTrial = new(Id, "acme", "Acme", Start, Deadline);
    private static readonly TenantOnboarded WithoutTrial = new(Id, "acme", "Acme", Start, NoTrial: true);
    private static readonly TenantEmailConfirmed Confirmed = new(Id, Start);

    private static Tenant Given(params object[] events) => TenantLifecycle.Replay(events).ShouldNotBeNull();

    private static TenantFact.Onboard Onboard(DateTimeOffset? trialEndsAt, bool byOwner) => new(Id, "acme", "Acme", Start, trialEndsAt, byOwner);

    [Fact]
    public void Onboarding_by_the_platform_owner_records_the_tenant_and_vouches_for_its_email()
    {
        var decision = TenantLifecycle.Decide(null, Onboard(Deadline, byOwner: true));

        decision.Events.ShouldBe([OnTrial, Confirmed]);
    }

    [Fact]
    public void A_self_onboarded_retailer_is_recorded_without_a_confirmed_email()
    {
        var decision = TenantLifecycle.Decide(null, Onboard(Deadline, byOwner: false));

        decision.Events.ShouldBe([OnTrial]);
        Given([.. decision.Events]).EmailConfirmedAt.ShouldBeNull();
    }

    [Fact]
    public void The_platform_owner_may_onboard_without_a_trial_and_the_tenant_is_active_at_once()
    {
        var decision = TenantLifecycle.Decide(null, Onboard(null, byOwner: true));

        decision.Events.ShouldBe([WithoutTrial, Confirmed]);
        var tenant = Given([.. decision.Events]);
        tenant.Status.ShouldBe(TenantStatus.Active);
        tenant.NoTrial.ShouldBeTrue();
        tenant.TrialEndsAt.ShouldBeNull();
    }

    [Fact]
    public void A_self_onboarded_retailer_cannot_skip_the_trial() =>
        TenantLifecycle.Decide(null, Onboard(null, byOwner: false)).Refusal.ShouldBe(TenantRefusal.NoTrialNeedsThePlatformOwner);

    [Fact]
    public void Onboarding_twice_is_refused() =>
        TenantLifecycle.Decide(Given(OnTrial), Onboard(Deadline, byOwner: true)).Refusal.ShouldBe(TenantRefusal.AlreadyOnboarded);

    [Theory]
    [MemberData(nameof(FactsOtherThanOnboarding))]
    public void Nothing_but_onboarding_is_accepted_before_onboarding(TenantFact fact) =>
        TenantLifecycle.Decide(null, fact).Refusal.ShouldBe(TenantRefusal.NotOnboarded);

    public static TheoryData<TenantFact> FactsOtherThanOnboarding() =>
    [
        new TenantFact.ConfirmEmail(Start), new TenantFact.EndTrial(Deadline), new TenantFact.Suspend(Start), new TenantFact.Reactivate(Start),
    ];

    [Fact]
    public void Confirming_the_email_records_when()
    {
        var at = Start.AddHours(2);

        var decision = TenantLifecycle.Decide(Given(OnTrial), new TenantFact.ConfirmEmail(at));

        decision.Events.ShouldBe([new TenantEmailConfirmed(Id, at)]);
        Given(OnTrial, decision.Events[0]).EmailConfirmedAt.ShouldBe(at);
    }

    [Fact]
    public void Confirming_the_email_twice_is_refused() =>
        TenantLifecycle.Decide(Given(OnTrial, Confirmed), new TenantFact.ConfirmEmail(Start.AddDays(1))).Refusal.ShouldBe(TenantRefusal.EmailAlreadyConfirmed);

    [Fact]
    public void A_suspended_tenant_may_still_confirm_its_email() =>
        TenantLifecycle.Decide(Given(OnTrial, new TenantSuspended(Id, Start)), new TenantFact.ConfirmEmail(Start)).Events.ShouldHaveSingleItem().ShouldBeOfType<TenantEmailConfirmed>();

    [Fact]
    public void A_trial_ends_at_its_deadline()
    {
        var decision = TenantLifecycle.Decide(Given(OnTrial, Confirmed), new TenantFact.EndTrial(Deadline));

        decision.Events.ShouldBe([new TenantTrialEnded(Id, Deadline)]);
        Given(OnTrial, Confirmed, decision.Events[0]).Status.ShouldBe(TenantStatus.TrialEnded);
    }

    [Fact]
    public void A_trial_does_not_end_a_tick_before_its_deadline() =>
        TenantLifecycle.Decide(Given(OnTrial), new TenantFact.EndTrial(Deadline.AddTicks(-1))).Refusal.ShouldBe(TenantRefusal.TrialNotOver);

    [Fact]
    public void Ending_a_trial_that_ended_already_records_nothing_new()
    {
        var decision = TenantLifecycle.Decide(Given(OnTrial, new TenantTrialEnded(Id, Deadline)), new TenantFact.EndTrial(Deadline.AddHours(1)));

        decision.IsRefused.ShouldBeFalse();
        decision.Events.ShouldBeEmpty();
    }

    [Fact]
    public void A_tenant_that_is_not_trialing_has_no_trial_to_end()
    {
        TenantLifecycle.Decide(Given(WithoutTrial), new TenantFact.EndTrial(Deadline)).Refusal.ShouldBe(TenantRefusal.NotTrialing);
        TenantLifecycle.Decide(Given(OnTrial, new TenantSuspended(Id, Start)), new TenantFact.EndTrial(Deadline)).Refusal.ShouldBe(TenantRefusal.NotTrialing);
    }

    [Fact]
    public void A_trial_without_a_deadline_is_not_ended() =>
        TenantLifecycle.Decide(Given(new TenantOnboarded(Id, "acme", "Acme", Start)), new TenantFact.EndTrial(Deadline)).Refusal.ShouldBe(TenantRefusal.TrialHasNoDeadline);

    [Theory]
    [InlineData(TenantStatus.Trialing)]
    [InlineData(TenantStatus.Active)]
    [InlineData(TenantStatus.PastDue)]
    [InlineData(TenantStatus.TrialEnded)]
    public void The_platform_owner_may_suspend_a_tenant_in_any_open_or_lapsed_state_and_reactivation_returns_it_there(TenantStatus status)
    {
        var tenant = Given(OnTrial, Confirmed) with { Status = status };

        var suspension = TenantLifecycle.Decide(tenant, new TenantFact.Suspend(Start.AddDays(1)));
        suspension.Events.ShouldBe([new TenantSuspended(Id, Start.AddDays(1))]);
        var suspended = TenantLifecycle.Evolve(tenant, suspension.Events[0])!;
        suspended.Status.ShouldBe(TenantStatus.Suspended);

        var reactivation = TenantLifecycle.Decide(suspended, new TenantFact.Reactivate(Start.AddDays(2)));
        reactivation.Events.ShouldBe([new TenantReactivated(Id, Start.AddDays(2))]);
        var reactivated = TenantLifecycle.Evolve(suspended, reactivation.Events[0])!;
        reactivated.Status.ShouldBe(status);
        reactivated.SuspendedFrom.ShouldBeNull();
    }

    [Fact]
    public void Suspending_a_suspended_tenant_is_refused() =>
        TenantLifecycle.Decide(Given(OnTrial, new TenantSuspended(Id, Start)), new TenantFact.Suspend(Start)).Refusal.ShouldBe(TenantRefusal.AlreadySuspended);

    [Fact]
    public void A_canceled_tenant_is_not_suspended() =>
        TenantLifecycle.Decide(Given(OnTrial, new TenantStatusChanged(Id, TenantStatus.Trialing, TenantStatus.Canceled, Start)), new TenantFact.Suspend(Start))
            .Refusal.ShouldBe(TenantRefusal.Canceled);

    [Theory]
    [InlineData(TenantStatus.Trialing)]
    [InlineData(TenantStatus.Active)]
    [InlineData(TenantStatus.Canceled)]
    public void Reactivating_a_tenant_that_is_not_suspended_is_refused(TenantStatus status) =>
        TenantLifecycle.Decide(Given(OnTrial) with { Status = status }, new TenantFact.Reactivate(Start)).Refusal.ShouldBe(TenantRefusal.NotSuspended);

    [Fact]
    public void A_tenant_onboarded_before_the_lifecycle_replays_as_confirmed_and_trialing_without_a_deadline()
    {
        var tenant = Given(new TenantOnboarded(Id, "acme", "Acme", Start));

        tenant.Status.ShouldBe(TenantStatus.Trialing);
        tenant.TrialEndsAt.ShouldBeNull();
        tenant.EmailConfirmedAt.ShouldBe(Start);
        tenant.IsKioskOpenAt(Start.AddYears(1)).ShouldBeTrue();
    }

    [Fact]
    public void An_old_status_change_replays_to_its_status_and_a_suspension_remembers_where_it_came_from()
    {
        var old = new TenantOnboarded(Id, "acme", "Acme", Start);

        var suspended = Given(old, new TenantStatusChanged(Id, TenantStatus.Trialing, TenantStatus.Active, Start), new TenantStatusChanged(Id, TenantStatus.Active, TenantStatus.Suspended, Start));

        suspended.Status.ShouldBe(TenantStatus.Suspended);
        suspended.SuspendedFrom.ShouldBe(TenantStatus.Active);
        Given(old, new TenantStatusChanged(Id, TenantStatus.Trialing, TenantStatus.PastDue, Start)).SuspendedFrom.ShouldBeNull();
    }

    [Fact]
    public void Events_of_other_kinds_in_the_stream_and_events_before_onboarding_leave_the_state_as_it_is()
    {
        var tenant = Given(OnTrial);

        TenantLifecycle.Evolve(tenant, new StaffPinSet(Id, Start)).ShouldBe(tenant);
        TenantLifecycle.Evolve(null, Confirmed).ShouldBeNull();
    }

    [Fact]
    public void An_unknown_fact_is_a_programming_error() =>
        Should.Throw<ArgumentOutOfRangeException>(() => TenantLifecycle.Decide(Given(OnTrial), new UnknownFact(Start)));

    [Theory]
    [InlineData(TenantRefusal.NotOnboarded, "does not exist")]
    [InlineData(TenantRefusal.AlreadyOnboarded, "exists already")]
    [InlineData(TenantRefusal.NoTrialNeedsThePlatformOwner, "without a trial")]
    [InlineData(TenantRefusal.EmailAlreadyConfirmed, "confirmed already")]
    [InlineData(TenantRefusal.NotTrialing, "not on a trial")]
    [InlineData(TenantRefusal.TrialHasNoDeadline, "no end date")]
    [InlineData(TenantRefusal.TrialNotOver, "not ended yet")]
    [InlineData(TenantRefusal.AlreadySuspended, "suspended already")]
    [InlineData(TenantRefusal.Canceled, "canceled")]
    [InlineData(TenantRefusal.NotSuspended, "not suspended")]
    public void Every_refusal_is_explained_in_a_sentence(TenantRefusal refusal, string words) =>
        TenantDecision.Explain(refusal).ShouldContain(words);

    [Fact]
    public void An_unknown_refusal_has_no_explanation() =>
        Should.Throw<ArgumentOutOfRangeException>(() => TenantDecision.Explain((TenantRefusal)999));

    private sealed record UnknownFact(DateTimeOffset At) : TenantFact(At);
}

public class KioskOpeningTests
{
    private static readonly DateTimeOffset Start = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Deadline = Start.AddDays(14);

    private static Tenant Trialing(DateTimeOffset? confirmedAt = null) =>
        new(Guid.NewGuid(), "acme", "Acme", TenantStatus.Trialing, Start) { TrialEndsAt = Deadline, EmailConfirmedAt = confirmedAt ?? Start };

    [Fact]
    public void A_trial_kiosk_is_open_until_the_tick_before_its_deadline_and_closed_from_it()
    {
        Trialing().IsKioskOpenAt(Deadline.AddTicks(-1)).ShouldBeTrue();
        Trialing().IsKioskOpenAt(Deadline).ShouldBeFalse();
    }

    [Fact]
    public void A_kiosk_is_closed_until_the_email_is_confirmed()
    {
        (Trialing() with { EmailConfirmedAt = null }).IsKioskOpenAt(Start).ShouldBeFalse();
        (Trialing() with { Status = TenantStatus.Active, EmailConfirmedAt = null }).IsKioskOpenAt(Start).ShouldBeFalse();
    }

    [Theory]
    [InlineData(TenantStatus.Active, true)]
    [InlineData(TenantStatus.PastDue, true)]
    [InlineData(TenantStatus.Suspended, false)]
    [InlineData(TenantStatus.Canceled, false)]
    [InlineData(TenantStatus.TrialEnded, false)]
    public void Past_the_trial_the_kiosk_is_open_while_active_or_past_due(TenantStatus status, bool open) =>
        (Trialing() with { Status = status }).IsKioskOpenAt(Deadline.AddYears(1)).ShouldBe(open);

    [Fact]
    public void A_trial_without_a_deadline_stays_open() =>
        (Trialing() with { TrialEndsAt = null }).IsKioskOpenAt(Deadline.AddYears(5)).ShouldBeTrue();
}
