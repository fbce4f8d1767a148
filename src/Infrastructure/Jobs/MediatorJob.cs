using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Security;
using Hangfire;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.Infrastructure.Jobs;

/// <summary>
/// Every job is one line: it sends its command through the mediator as the system principal, in
/// the command's tenant when it names one, so the use case is tested without Hangfire.
/// </summary>
public sealed class MediatorJob(IServiceScopeFactory scopes)
{
    public static readonly Actor Principal = Actor.System("jobs");

    [JobDisplayName("{0}")]
    public async Task RunAsync<TCommand>(TCommand command, CancellationToken cancellationToken)
        where TCommand : IJobCommand
    {
        // A tenant that no longer exists has no work left: the job ends instead of retrying forever.
        if (command is ITenantJobCommand forTenant)
        {
            await WorkScope.SendForTenantAsync(scopes, Principal, forTenant.TenantId, command, cancellationToken);
            return;
        }

        await using var scope = WorkScope.Enter(scopes, Principal);
        await scope.ServiceProvider.GetRequiredService<ISender>().Send(command, cancellationToken);
    }
}

internal sealed class HangfireBackgroundJobs(IBackgroundJobClient client) : IBackgroundJobs
{
    public string Enqueue<TCommand>(TCommand command, JobLane lane = JobLane.Default)
        where TCommand : IJobCommand =>
        client.Enqueue<MediatorJob>(QueueName(lane), job => job.RunAsync(command, CancellationToken.None));

    public string Schedule<TCommand>(TCommand command, TimeSpan delay, JobLane lane = JobLane.Default)
        where TCommand : IJobCommand =>
        client.Schedule<MediatorJob>(QueueName(lane), job => job.RunAsync(command, CancellationToken.None), delay);

    public static string QueueName(JobLane lane) => lane switch
    {
        JobLane.Mail => "mail",
        JobLane.Crm => "crm",
        JobLane.Billing => "billing",
        _ => "default",
    };
}
