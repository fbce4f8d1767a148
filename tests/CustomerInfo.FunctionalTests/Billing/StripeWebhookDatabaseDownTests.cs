using CustomerInfo.Application.Billing.RecordStripeWebhook;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.StripeFake;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Billing;
using Npgsql;

namespace CustomerInfo.FunctionalTests.Billing;

/// <summary>
/// ADR 0021: while the database is down a signed event is answered 503, so Stripe delivers it again;
/// once the database is back, Stripe's retry of the same event id is handled, and only once. The
/// database really refuses connections (its own class: the app's other work fails meanwhile too).
/// </summary>
public class StripeWebhookDatabaseDownTests(BillingAppFactory app) : IClassFixture<BillingAppFactory>, IAsyncLifetime
{
    private Guid acme;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        acme = await app.AddStoreAsync("acme", "Acme", TenantStatus.Trialing);
    }

    public async Task DisposeAsync() => await AllowConnectionsAsync(true);

    [Fact]
    public async Task An_event_answered_503_while_the_database_is_down_is_handled_once_when_Stripe_delivers_it_again()
    {
        var subscription = await app.SubscribeAsync(await app.AddCustomerAsync(acme));
        (await app.TenantAsync(acme)).Status.ShouldBe(TenantStatus.Active);
        var before = app.Stripe.Deliveries.Count;

        await AllowConnectionsAsync(false);
        await app.Stripe.InvoiceAsync(subscription, 2900, paid: false);
        var missed = app.Stripe.Deliveries.Skip(before).ToList();
        await AllowConnectionsAsync(true);

        missed.ShouldNotBeEmpty();
        missed.ShouldAllBe(d => d.Status == 503);
        var failed = missed.Single(d => TypeOf(d) == "invoice.payment_failed");
        (await app.StoredEventAsync(IdOf(failed))).ShouldBeNull();
        (await app.TenantAsync(acme)).Status.ShouldBe(TenantStatus.Active);

        // Stripe's retries: the same event, signed anew, until it is accepted.
        var retry = await RetryUntilAcceptedAsync(failed.Payload);
        retry.Answer.ShouldBe(nameof(StripeEventOutcome.Handled));
        (await app.TenantAsync(acme)).Status.ShouldBe(TenantStatus.PastDue);
        (await app.StoredEventAsync(IdOf(failed)))!.Outcome.ShouldBe(StripeEventOutcome.Handled);

        var again = (await app.Stripe.DeliverAsync(failed.Payload))!;
        again.Status.ShouldBe(200);
        again.Answer.ShouldBe(nameof(StripeEventOutcome.Duplicate));
        (await app.TenantEventsAsync(acme)).OfType<TenantPaymentFailed>().Count().ShouldBe(1);
    }

    /// <summary>
    /// A pooled connection the outage broke fails once more before the pool drops it, so the first
    /// retry may be another 503; Stripe retries for three days, the test a few times.
    /// </summary>
    private async Task<StripeWebhookDelivery> RetryUntilAcceptedAsync(string payload)
    {
        for (var attempt = 1; ; attempt++)
        {
            var delivery = (await app.Stripe.DeliverAsync(payload))!;
            if (delivery.Status != 503 || attempt == 5)
            {
                delivery.Status.ShouldBe(200);
                return delivery;
            }
        }
    }

    private static string TypeOf(StripeWebhookDelivery delivery) => System.Text.Json.Nodes.JsonNode.Parse(delivery.Payload)!["type"]!.ToString();

    private static string IdOf(StripeWebhookDelivery delivery) => System.Text.Json.Nodes.JsonNode.Parse(delivery.Payload)!["id"]!.ToString();

    /// <summary>Makes the app's database refuse (or accept again) every connection, and ends the open ones.</summary>
    private async Task AllowConnectionsAsync(bool allow)
    {
        await using var connection = new NpgsqlConnection(TestDatabase.AdminConnectionString);
        await connection.OpenAsync();
        var name = app.Database.Name;
        await using (var alter = new NpgsqlCommand($"alter database \"{name}\" with allow_connections {(allow ? "true" : "false")}", connection))
        {
            await alter.ExecuteNonQueryAsync();
        }

        if (!allow)
        {
            await using var terminate = new NpgsqlCommand("select pg_terminate_backend(pid) from pg_stat_activity where datname = @name and pid <> pg_backend_pid()", connection);
            terminate.Parameters.AddWithValue("name", name);
            await terminate.ExecuteNonQueryAsync();
        }
    }
}
