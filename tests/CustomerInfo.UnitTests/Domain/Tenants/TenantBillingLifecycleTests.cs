using CustomerInfo.Domain.Tenants;

namespace CustomerInfo.UnitTests.Domain.Tenants;

/// <summary>Stripe's facts in the lifecycle: in any order and any number of times, they leave the tenant as Stripe's newest word says.</summary>
public class TenantBillingLifecycleTests
{
    private const string Sub = "sub_1";
    private const string Plan = "store";

    private static readonly Guid Id = Guid.NewGuid();
    private static readonly DateTimeOffset Start = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Paid = Start.AddDays(1);
    private static readonly DateTimeOffset Failed = Start.AddDays(31);
    private static readonly DateTimeOffset GraceEnds = Failed.AddDays(7);

    private static readonly object[] Trialing = [new TenantOnboarded(Id, "acme", "Acme", Start, Start.AddDays(14)), new TenantEmailConfirmed(Id, Start)];
    private static readonly object[] Active = [.. Trialing, new TenantSubscribed(Id, Sub, Plan, Paid)];
    private static readonly object[] PastDue = [.. Active, new TenantPaymentFailed(Id, Sub, GraceEnds, Failed)];
    private static readonly object[] Unpaid = [.. PastDue, new TenantGraceEnded(Id, GraceEnds)];
    private static readonly object[] Canceled = [.. Active, new TenantSubscriptionEnded(Id, Sub, Failed)];

    private static Tenant Given(params object[] events) => TenantLifecycle.Replay(events).ShouldNotBeNull();

    /// <summary>Decides, then folds the answer in, as <c>TenantFacts</c> does.</summary>
    private static (TenantDecision Decision, Tenant After) Record(Tenant state, TenantFact fact)
    {
        var decision = TenantLifecycle.Decide(state, fact);
        return (decision, decision.Events.Aggregate((Tenant?)state, TenantLifecycle.Evolve)!);
    }

    [Fact]
    public void A_trial_tenant_whose_subscription_is_active_is_active_on_its_plan()
    {
        var (decision, after) = Record(Given(Trialing), new TenantFact.SubscriptionActive(Sub, Plan, Paid));

        decision.Events.ShouldBe([new TenantSubscribed(Id, Sub, Plan, Paid)]);
        after.Status.ShouldBe(TenantStatus.Active);
        after.SubscriptionId.ShouldBe(Sub);
        after.PlanId.ShouldBe(Plan);
        after.BillingAsOf.ShouldBe(Paid);
    }

    [Fact]
    public void A_tenant_whose_trial_ended_subscribes_and_is_active() =>
        Record(Given([.. Trialing, new TenantTrialEnded(Id, Start.AddDays(14))]), new TenantFact.SubscriptionActive(Sub, Plan, Paid)).After.Status.ShouldBe(TenantStatus.Active);

    [Fact]
    public void The_same_active_subscription_again_is_nothing_to_do() =>
        TenantLifecycle.Decide(Given(Active), new TenantFact.SubscriptionActive(Sub, Plan, Paid.AddDays(3))).ShouldBe(TenantDecision.NothingToDo);

    [Fact]
    public void Another_plan_on_the_same_subscription_is_recorded()
    {
        var (decision, after) = Record(Given(Active), new TenantFact.SubscriptionActive(Sub, "large", Paid.AddDays(3)));

        decision.Events.ShouldBe([new TenantSubscribed(Id, Sub, "large", Paid.AddDays(3))]);
        after.PlanId.ShouldBe("large");
    }

    [Fact]
    public void A_failed_payment_makes_an_active_tenant_past_due_until_the_grace_deadline()
    {
        var (decision, after) = Record(Given(Active), new TenantFact.PaymentFailed(Sub, GraceEnds, Failed));

        decision.Events.ShouldBe([new TenantPaymentFailed(Id, Sub, GraceEnds, Failed)]);
        after.Status.ShouldBe(TenantStatus.PastDue);
        after.GraceEndsAt.ShouldBe(GraceEnds);
    }

    [Fact]
    public void A_second_failure_keeps_the_first_deadline() =>
        TenantLifecycle.Decide(Given(PastDue), new TenantFact.PaymentFailed(Sub, GraceEnds.AddDays(3), Failed.AddDays(3))).ShouldBe(TenantDecision.NothingToDo);

    [Fact]
    public void A_paid_invoice_makes_a_past_due_tenant_active_and_clears_the_deadline()
    {
        var (decision, after) = Record(Given(PastDue), new TenantFact.InvoicePaid(Sub, Failed.AddDays(2)));

        decision.Events.ShouldBe([new TenantInvoicePaid(Id, Sub, Failed.AddDays(2))]);
        after.Status.ShouldBe(TenantStatus.Active);
        after.GraceEndsAt.ShouldBeNull();
    }

    [Fact]
    public void A_paid_invoice_makes_an_unpaid_tenant_active() =>
        Record(Given(Unpaid), new TenantFact.InvoicePaid(Sub, GraceEnds.AddDays(1))).After.Status.ShouldBe(TenantStatus.Active);

    [Fact]
    public void The_subscription_seen_active_again_makes_a_past_due_tenant_active()
    {
        var (decision, after) = Record(Given(PastDue), new TenantFact.SubscriptionActive(Sub, Plan, Failed.AddDays(2)));

        decision.Events.ShouldBe([new TenantInvoicePaid(Id, Sub, Failed.AddDays(2))]);
        after.Status.ShouldBe(TenantStatus.Active);
    }

    [Fact]
    public void An_active_tenant_s_newer_paid_invoice_is_recorded_without_changing_its_status()
    {
        var (decision, after) = Record(Given(Active), new TenantFact.InvoicePaid(Sub, Failed));

        decision.Events.ShouldBe([new TenantInvoicePaid(Id, Sub, Failed)]);
        after.Status.ShouldBe(TenantStatus.Active);
        after.BillingAsOf.ShouldBe(Failed);
    }

    [Fact]
    public void The_same_paid_invoice_again_is_nothing_to_do()
    {
        var (_, after) = Record(Given(Active), new TenantFact.InvoicePaid(Sub, Failed));

        TenantLifecycle.Decide(after, new TenantFact.InvoicePaid(Sub, Failed)).ShouldBe(TenantDecision.NothingToDo);
    }

    [Fact]
    public void A_payment_failure_that_happened_before_a_newer_payment_changes_nothing_when_it_arrives_late()
    {
        var (_, paid) = Record(Given(Active), new TenantFact.InvoicePaid(Sub, Failed.AddHours(1)));

        TenantLifecycle.Decide(paid, new TenantFact.PaymentFailed(Sub, GraceEnds, Failed)).ShouldBe(TenantDecision.NothingToDo);
    }

    [Fact]
    public void The_grace_deadline_passed_makes_a_past_due_tenant_unpaid()
    {
        var (decision, after) = Record(Given(PastDue), new TenantFact.EndGrace(GraceEnds));

        decision.Events.ShouldBe([new TenantGraceEnded(Id, GraceEnds)]);
        after.Status.ShouldBe(TenantStatus.Unpaid);
    }

    [Fact]
    public void Ending_the_grace_before_its_deadline_is_refused() =>
        TenantLifecycle.Decide(Given(PastDue), new TenantFact.EndGrace(GraceEnds.AddMinutes(-1))).Refusal.ShouldBe(TenantRefusal.GraceNotOver);

    [Fact]
    public void Ending_the_grace_twice_is_nothing_to_do() =>
        TenantLifecycle.Decide(Given(Unpaid), new TenantFact.EndGrace(GraceEnds.AddDays(1))).ShouldBe(TenantDecision.NothingToDo);

    [Fact]
    public void Ending_the_grace_of_a_tenant_that_is_not_past_due_is_refused() =>
        TenantLifecycle.Decide(Given(Active), new TenantFact.EndGrace(GraceEnds)).Refusal.ShouldBe(TenantRefusal.NotPastDue);

    [Theory]
    [MemberData(nameof(Billed))]
    public void A_deleted_subscription_cancels_the_tenant_whatever_its_billing_state(string name, object[] history)
    {
        var (decision, after) = Record(Given(history), new TenantFact.SubscriptionDeleted(Sub, GraceEnds.AddDays(1)));

        decision.Events.ShouldBe([new TenantSubscriptionEnded(Id, Sub, GraceEnds.AddDays(1))], name);
        after.Status.ShouldBe(TenantStatus.Canceled);
        after.CanceledAt.ShouldBe(GraceEnds.AddDays(1));
        after.GraceEndsAt.ShouldBeNull();
        after.EndedSubscriptionId.ShouldBe(Sub);
    }

    public static TheoryData<string, object[]> Billed() => new()
    {
        { "active", Active }, { "past due", PastDue }, { "unpaid", Unpaid },
    };

    [Fact]
    public void A_deletion_that_arrives_before_older_facts_is_final()
    {
        // Stripe says "deleted" at Paid + 1 day, then a stale "past due" from before it arrives.
        var (_, canceled) = Record(Given(Active), new TenantFact.SubscriptionDeleted(Sub, Paid.AddDays(1)));

        TenantLifecycle.Decide(canceled, new TenantFact.PaymentFailed(Sub, GraceEnds, Paid.AddHours(12))).ShouldBe(TenantDecision.NothingToDo);
    }

    [Theory]
    [MemberData(nameof(FactsAboutTheDeletedSubscription))]
    public void Nothing_said_about_a_deleted_subscription_changes_the_tenant_even_when_newer(TenantFact fact) =>
        TenantLifecycle.Decide(Given(Canceled), fact).ShouldBe(TenantDecision.NothingToDo);

    public static TheoryData<TenantFact> FactsAboutTheDeletedSubscription() =>
    [
        new TenantFact.SubscriptionActive(Sub, Plan, GraceEnds.AddDays(30)),
        new TenantFact.InvoicePaid(Sub, GraceEnds.AddDays(30)),
        new TenantFact.PaymentFailed(Sub, GraceEnds.AddDays(37), GraceEnds.AddDays(30)),
        new TenantFact.SubscriptionDeleted(Sub, GraceEnds.AddDays(30)),
    ];

    [Fact]
    public void A_late_active_subscription_never_undoes_a_newer_deletion()
    {
        var (_, canceled) = Record(Given(Active), new TenantFact.SubscriptionDeleted(Sub, Failed));

        var (decision, after) = Record(canceled, new TenantFact.SubscriptionActive(Sub, Plan, Failed.AddDays(-1)));

        decision.ShouldBe(TenantDecision.NothingToDo);
        after.Status.ShouldBe(TenantStatus.Canceled);
    }

    [Fact]
    public void A_canceled_tenant_that_subscribes_again_is_active_on_the_new_subscription()
    {
        var (_, after) = Record(Given(Canceled), new TenantFact.SubscriptionActive("sub_2", Plan, Failed.AddDays(3)));

        after.Status.ShouldBe(TenantStatus.Active);
        after.SubscriptionId.ShouldBe("sub_2");
        after.CanceledAt.ShouldBeNull();
    }

    [Fact]
    public void The_end_of_a_subscription_the_tenant_has_since_replaced_changes_nothing()
    {
        var replaced = Given([.. Active, new TenantSubscribed(Id, "sub_2", Plan, Failed)]);

        TenantLifecycle.Decide(replaced, new TenantFact.SubscriptionDeleted(Sub, Failed.AddDays(1))).ShouldBe(TenantDecision.NothingToDo);
    }

    [Theory]
    [MemberData(nameof(StaleFacts))]
    public void A_fact_older_than_the_newest_seen_changes_nothing(TenantFact fact) =>
        TenantLifecycle.Decide(Given(PastDue), fact).ShouldBe(TenantDecision.NothingToDo);

    public static TheoryData<TenantFact> StaleFacts() =>
    [
        new TenantFact.SubscriptionActive(Sub, Plan, Failed.AddMinutes(-1)),
        new TenantFact.SubscriptionActive(Sub, "large", Failed.AddMinutes(-1)),
        new TenantFact.InvoicePaid(Sub, Failed.AddMinutes(-1)),
    ];

    [Fact]
    public void A_stale_failure_does_not_make_an_active_tenant_past_due()
    {
        var (_, active) = Record(Given(PastDue), new TenantFact.InvoicePaid(Sub, Failed.AddDays(1)));

        TenantLifecycle.Decide(active, new TenantFact.PaymentFailed(Sub, GraceEnds, Failed)).ShouldBe(TenantDecision.NothingToDo);
    }

    [Theory]
    [MemberData(nameof(FactsAboutAnotherSubscription))]
    public void Payments_of_a_subscription_that_is_not_the_tenant_s_change_nothing(TenantFact fact) =>
        TenantLifecycle.Decide(Given(Active), fact).ShouldBe(TenantDecision.NothingToDo);

    public static TheoryData<TenantFact> FactsAboutAnotherSubscription() =>
    [
        new TenantFact.InvoicePaid("sub_other", Failed),
        new TenantFact.PaymentFailed("sub_other", GraceEnds, Failed),
        new TenantFact.SubscriptionDeleted("sub_other", Failed),
    ];

    [Fact]
    public void A_suspension_stays_while_billing_changes_underneath_and_reactivation_returns_to_the_newest_billing_state()
    {
        var suspended = Given([.. Active, new TenantSuspended(Id, Paid.AddDays(2))]);

        var (failed, pastDue) = Record(suspended, new TenantFact.PaymentFailed(Sub, GraceEnds, Failed));
        failed.Events.Count.ShouldBe(1);
        pastDue.Status.ShouldBe(TenantStatus.Suspended);
        pastDue.SuspendedFrom.ShouldBe(TenantStatus.PastDue);

        var (_, unpaid) = Record(pastDue, new TenantFact.EndGrace(GraceEnds));
        unpaid.Status.ShouldBe(TenantStatus.Suspended);
        unpaid.SuspendedFrom.ShouldBe(TenantStatus.Unpaid);

        var (_, paid) = Record(unpaid, new TenantFact.InvoicePaid(Sub, GraceEnds.AddDays(1)));
        paid.Status.ShouldBe(TenantStatus.Suspended);
        paid.SuspendedFrom.ShouldBe(TenantStatus.Active);

        Record(paid, new TenantFact.Reactivate(GraceEnds.AddDays(2))).After.Status.ShouldBe(TenantStatus.Active);
    }

    [Fact]
    public void A_suspended_tenant_s_deleted_subscription_cancels_it_and_reactivation_is_refused()
    {
        var (_, canceled) = Record(Given([.. Active, new TenantSuspended(Id, Paid.AddDays(2))]), new TenantFact.SubscriptionDeleted(Sub, Failed));

        canceled.Status.ShouldBe(TenantStatus.Canceled);
        TenantLifecycle.Decide(canceled, new TenantFact.Reactivate(Failed.AddDays(1))).Refusal.ShouldBe(TenantRefusal.NotSuspended);
    }

    [Fact]
    public void Linking_the_stripe_customer_records_it_once()
    {
        var (decision, linked) = Record(Given(Trialing), new TenantFact.LinkStripeCustomer("cus_1", Start));

        decision.Events.ShouldBe([new TenantStripeCustomerLinked(Id, "cus_1", Start)]);
        linked.StripeCustomerId.ShouldBe("cus_1");
        TenantLifecycle.Decide(linked, new TenantFact.LinkStripeCustomer("cus_1", Paid)).ShouldBe(TenantDecision.NothingToDo);
        TenantLifecycle.Decide(linked, new TenantFact.LinkStripeCustomer("cus_2", Paid)).Refusal.ShouldBe(TenantRefusal.OtherStripeCustomer);
    }

    [Fact]
    public void The_kiosk_of_a_past_due_tenant_stays_open_until_the_grace_deadline()
    {
        var tenant = Given(PastDue);

        tenant.IsKioskOpenAt(GraceEnds.AddSeconds(-1)).ShouldBeTrue();
        tenant.IsKioskOpenAt(GraceEnds).ShouldBeFalse();
    }

    [Fact]
    public void The_kiosk_of_an_unpaid_tenant_is_closed()
    {
        Given(Unpaid).IsKioskOpenAt(GraceEnds).ShouldBeFalse();
        Given(Unpaid).IsKioskOpenAt(Start).ShouldBeFalse();
    }

    [Fact]
    public void The_kiosk_opens_again_once_an_unpaid_tenant_pays() =>
        Record(Given(Unpaid), new TenantFact.InvoicePaid(Sub, GraceEnds.AddDays(1))).After.IsKioskOpenAt(GraceEnds.AddDays(1)).ShouldBeTrue();

    [Fact]
    public void The_kiosk_of_a_canceled_tenant_is_closed() =>
        Given(Canceled).IsKioskOpenAt(Failed).ShouldBeFalse();

    [Fact]
    public void The_erasure_of_a_canceled_tenant_s_data_is_recorded_once_and_it_stays_canceled()
    {
        var erased = Failed.AddDays(30);
        var (decision, after) = Record(Given(Canceled), new TenantFact.RecordDataErased(12, erased));

        decision.Events.ShouldBe([new TenantDataErased(Id, 12, erased)]);
        after.DataErasedAt.ShouldBe(erased);
        after.Status.ShouldBe(TenantStatus.Canceled);
        TenantLifecycle.Decide(after, new TenantFact.RecordDataErased(0, erased.AddDays(1))).ShouldBe(TenantDecision.NothingToDo);
    }

    [Fact]
    public void Erasing_the_data_of_a_tenant_whose_subscription_has_not_ended_is_refused()
    {
        TenantLifecycle.Decide(Given(Active), new TenantFact.RecordDataErased(3, Failed)).Refusal.ShouldBe(TenantRefusal.NotCanceled);
        TenantLifecycle.Decide(Given(Unpaid), new TenantFact.RecordDataErased(3, Failed)).Refusal.ShouldBe(TenantRefusal.NotCanceled);
    }

    [Fact]
    public void An_own_price_with_its_amount_is_recorded_and_the_same_again_is_nothing_to_do()
    {
        var (decision, after) = Record(Given(Active), new TenantFact.SetCustomPrice("price_own", Paid, 19.5m));

        decision.Events.ShouldBe([new TenantCustomPriceSet(Id, "price_own", Paid, 19.5m)]);
        after.CustomStorePriceId.ShouldBe("price_own");
        after.CustomPricePerStore.ShouldBe(19.5m);
        TenantLifecycle.Decide(after, new TenantFact.SetCustomPrice("price_own", Paid.AddDays(1), 19.5m)).ShouldBe(TenantDecision.NothingToDo);
    }

    [Fact]
    public void A_new_amount_for_the_same_own_price_is_recorded()
    {
        var priced = Given([.. Active, new TenantCustomPriceSet(Id, "price_own", Paid, 19.5m)]);

        var (decision, after) = Record(priced, new TenantFact.SetCustomPrice("price_own", Paid.AddDays(1), 24m));

        decision.Events.ShouldBe([new TenantCustomPriceSet(Id, "price_own", Paid.AddDays(1), 24m)]);
        after.CustomPricePerStore.ShouldBe(24m);
    }

    [Fact]
    public void Clearing_the_own_price_clears_its_amount_too()
    {
        var priced = Given([.. Active, new TenantCustomPriceSet(Id, "price_own", Paid, 19.5m)]);

        var after = Record(priced, new TenantFact.SetCustomPrice(null, Paid.AddDays(1), 19.5m)).After;

        after.CustomStorePriceId.ShouldBeNull();
        after.CustomPricePerStore.ShouldBeNull();
    }
}
