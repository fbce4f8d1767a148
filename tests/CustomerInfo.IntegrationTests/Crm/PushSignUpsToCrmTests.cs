using CustomerInfo.Application.Crm.Push;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Crm;
using Hangfire;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static CustomerInfo.IntegrationTests.Contacts.ContactSignUps;

namespace CustomerInfo.IntegrationTests.Crm;

/// <summary>
/// A batch of one tenant's sign-ups, pushed as the job pushes it (ADR 19), against a real webhook
/// receiver on 127.0.0.1: one job, one connector call, and still every sign-up's outcome its own.
/// </summary>
public class PushSignUpsToCrmTests(CrmPushApp app) : IClassFixture<CrmPushApp>, IAsyncLifetime
{
    private const string Secret = "whsec_QmF0Y2hlcyBvZiBzaWduLXVwcyB0ZXN0IHNlY3JldA==";
    private FakeWebhookReceiver receiver = null!;
    private Guid tenantId;
    private Guid connectionId;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        tenantId = await app.AddStoreAsync("demo", "Demo store");
        await app.SendAsync("demo", new PublishFormDefinitionCommand(FormDefinition.StarterFor("demo") with
        {
            Fields = [new(BuiltInField.FirstName, FieldRequirement.Required), new(BuiltInField.Email, FieldRequirement.Optional)],
        }));
        receiver = await FakeWebhookReceiver.StartNewAsync(Secret);
        connectionId = await app.ConnectWebhookAsync("demo", receiver.Url, Secret);
    }

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    private async Task<Guid[]> SignUpsAsync(params string[] emails)
    {
        var ids = new List<Guid>();
        foreach (var email in emails)
        {
            ids.Add((await app.SignUpAndLinkAsync("demo", SignUp(email))).SignUpId);
        }

        return [.. ids];
    }

    private Task<Mediator.Unit> PushAsync(Guid[] signUpIds, int attempt = 1) => app.SendAsync("demo", new PushSignUpsToCrmCommand(tenantId, signUpIds, Attempt: attempt));

    private async Task<IReadOnlyList<SignUpSummary>> RowsAsync(Guid[] signUpIds)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenantId.ToString());
        return await session.LoadManyAsync<SignUpSummary>(signUpIds);
    }

    private List<PushSignUpsToCrmCommand> Scheduled() =>
        app.Services.GetRequiredService<JobStorage>().GetMonitoringApi().ScheduledJobs(0, 10_000)
            .Select(j => j.Value.Job?.Args is { Count: > 0 } args ? args[0] : null)
            .OfType<PushSignUpsToCrmCommand>()
            .Where(c => c.TenantId == tenantId)
            .ToList();

    [Fact]
    public async Task A_batch_reaches_the_webhook_once_per_sign_up_each_under_its_own_delivery_id_even_when_the_job_runs_twice()
    {
        var signUps = await SignUpsAsync("ann@example.com", "bob@example.com", "cem@example.com");

        await PushAsync(signUps);
        await PushAsync(signUps);

        receiver.Deliveries.Count.ShouldBe(3);
        receiver.Deliveries.Select(d => d.Id).ShouldBe(signUps.Select(s => PushSignUpToCrmHandler.DeliveryId(connectionId, s, 0)), ignoreOrder: true);
        receiver.Deliveries.Select(d => d.Data.GetProperty("signUpId").GetGuid()).ShouldBe(signUps, ignoreOrder: true);
        (await RowsAsync(signUps)).ShouldAllBe(r => r.CrmStatus == CrmPushStatus.Pushed && r.CrmAttempts == 1);
        Scheduled().ShouldBeEmpty();
    }

    [Fact]
    public async Task When_the_crm_refuses_one_contact_of_a_batch_only_that_sign_up_fails_with_the_crm_s_reason()
    {
        var signUps = await SignUpsAsync("ann@example.com", "refused@example.com", "cem@example.com");
        receiver.Refuses = data => data.GetProperty("email").GetString() == "refused@example.com";

        var failure = await Should.ThrowAsync<CrmPushGaveUpException>(() => PushAsync(signUps));

        failure.Message.ShouldStartWith("1 of 3 sign-ups failed");
        var rows = (await RowsAsync(signUps)).ToDictionary(r => r.Id);
        rows[signUps[1]].CrmStatus.ShouldBe(CrmPushStatus.Failed);
        var reason = rows[signUps[1]].CrmReason.ShouldNotBeNull();
        reason.ShouldContain("422");
        reason.ShouldNotContain("refused@example.com");
        rows[signUps[0]].CrmStatus.ShouldBe(CrmPushStatus.Pushed);
        rows[signUps[2]].CrmStatus.ShouldBe(CrmPushStatus.Pushed);
        receiver.Deliveries.Select(d => d.Data.GetProperty("signUpId").GetGuid()).ShouldBe([signUps[0], signUps[2]], ignoreOrder: true);
        Scheduled().ShouldBeEmpty(); // a refusal is not retried
    }

    [Fact]
    public async Task Only_the_sign_ups_the_crm_asked_to_send_later_are_retried_as_a_smaller_batch_after_its_retry_after()
    {
        var signUps = await SignUpsAsync("ann@example.com", "bob@example.com", "cem@example.com");
        receiver.RetryAfterSeconds = 120;
        receiver.FailNext(HttpFault.TooManyRequests);

        await PushAsync(signUps);

        var rows = await RowsAsync(signUps);
        var later = rows.Where(r => r.CrmStatus == CrmPushStatus.Retrying).ShouldHaveSingleItem();
        later.CrmNextAttemptAt.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(app.Clock.UtcNow.AddSeconds(120));
        rows.Count(r => r.CrmStatus == CrmPushStatus.Pushed).ShouldBe(2);
        var retry = Scheduled().ShouldHaveSingleItem();
        retry.SignUpIds.ShouldBe([later.Id]);
        retry.Attempt.ShouldBe(2);
    }

    [Fact]
    public void A_big_group_is_split_into_jobs_of_at_most_a_hundred_named_with_their_count()
    {
        var jobs = PushSignUpsToCrmCommand.Of(Guid.NewGuid(), Enumerable.Range(0, 250).Select(_ => Guid.NewGuid()), "acme", "hubspot").ToList();

        jobs.Select(j => j.SignUpIds.Length).ShouldBe([100, 100, 50]);
        jobs[2].ToString().ShouldBe("Push 50 sign-ups of acme to HubSpot (attempt 1)");
        new PushSignUpsToCrmCommand(Guid.NewGuid(), [Guid.Parse("1a2b3c4d-0000-4000-8000-000000000001")], Store: "acme").ToString().ShouldBe("Push sign-up 1a2b3c4d… of acme to its CRM (attempt 1)");
    }
}
