using System.Net;
using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Crm.Push;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.FunctionalTests.SignUps;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Crm;
using CustomerInfo.Web.Seeding;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.FunctionalTests.Crm;

/// <summary>A web pod only: it takes sign-ups, runs no worker and no subscription.</summary>
public sealed class WebOnlyApp : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("RateLimits:PerClientPerMinute", "100000"), new("RateLimits:PerStorePerMinute", "100000")];
}

/// <summary>
/// A worker that dies between linking a sign-up and queueing its push: the link is committed, and
/// every attempt to queue the push fails (as if the process stopped right there), so the subscription
/// never finishes the page.
/// </summary>
public sealed class DyingWorker : AppFactory
{
    private static int refused;

    public static int Refused => Volatile.Read(ref refused);

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Hangfire:Server:Enabled", "false"), new("Marten:Daemon:Enabled", "true")];

    protected override void ConfigureServices(IServiceCollection services)
    {
        var real = services.Last(d => d.ServiceType == typeof(IBackgroundJobs));
        services.Remove(real);
        services.AddSingleton<IBackgroundJobs>(provider => new DiesOnPush((IBackgroundJobs)ActivatorUtilities.CreateInstance(provider, real.ImplementationType!)));
    }

    private sealed class DiesOnPush(IBackgroundJobs real) : IBackgroundJobs
    {
        public string Enqueue<TCommand>(TCommand command, JobLane lane = JobLane.Default)
            where TCommand : IJobCommand
        {
            if (command is PushSignUpsToCrmCommand or PushSignUpToCrmCommand)
            {
                Interlocked.Increment(ref refused);
                throw new InvalidOperationException("The worker stopped between the link and the enqueue.");
            }

            return real.Enqueue(command, lane);
        }

        public string Schedule<TCommand>(TCommand command, TimeSpan delay, JobLane lane = JobLane.Default)
            where TCommand : IJobCommand => real.Schedule(command, delay, lane);
    }
}

/// <summary>Issue 12 §3: a crash between the commit and the enqueue must still lead to a push.</summary>
public class DurablePushTriggerTests(WebOnlyApp app) : IClassFixture<WebOnlyApp>
{
    private const string Secret = "whsec_ZHVyYWJsZSB0cmlnZ2VyIHRlc3Qgc2VjcmV0IDEyMzQ1Ng==";

    [Fact]
    public async Task A_worker_that_dies_after_linking_but_before_queueing_the_push_leaves_it_to_the_next_worker()
    {
        // No reset: the class's database is new, and a reset would drop the Data Protection keys this
        // pod holds in memory, which the next pod needs to read the CRM's credentials.
        var tenantId = await app.AddStoreAsync("demo", "Demo Store");
        await app.SendAsync("demo", new PublishFormDefinitionCommand(DemoForm.Definition));
        await using var receiver = await FakeWebhookReceiver.StartNewAsync(Secret);
        await app.ConnectWebhookAsync("demo", receiver.Url, Secret);
        var kiosk = new Kiosk(app.ClientFor("demo.localhost"));
        await kiosk.OpenAsync();
        (await kiosk.SubmitAsync(Kiosk.Fields())).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        async ValueTask<SignUpSummary?> Row()
        {
            await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenantId.ToString());
            return await session.Query<SignUpSummary>().SingleOrDefaultAsync();
        }

        var dying = app.SecondPod<DyingWorker>();
        try
        {
            (await Eventually.HoldsAsync(() => ValueTask.FromResult(DyingWorker.Refused), n => n > 0, TimeSpan.FromSeconds(30))).ShouldBeTrue();
            (await Row())!.ContactId.ShouldNotBeNull(); // the link was committed before the worker died
        }
        finally
        {
            await dying.DisposeAsync();
        }

        receiver.Requests.ShouldBeEmpty();

        await using var next = app.SecondPod<PipelineApp>();
        (await Eventually.HoldsAsync(() => ValueTask.FromResult(receiver.Deliveries.Count), n => n >= 1, TimeSpan.FromSeconds(45))).ShouldBeTrue();
        receiver.Deliveries.ShouldHaveSingleItem().Data.GetProperty("email").GetString().ShouldBe("ann@example.com");
        (await Eventually.HoldsAsync(Row, r => r?.CrmStatus == CrmPushStatus.Pushed)).ShouldBeTrue();
    }
}
