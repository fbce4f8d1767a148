using CustomerInfo.Application.Common.Jobs;
using Hangfire;
using Mediator;

namespace CustomerInfo.Infrastructure.Jobs;

/// <summary>
/// Every job is one line: it sends its command through the mediator, so the use case is tested
/// without Hangfire. Hangfire's activator gives each run its own service scope.
/// </summary>
public sealed class MediatorJob(ISender sender)
{
    [JobDisplayName("{0}")]
    public async Task RunAsync<TCommand>(TCommand command, CancellationToken cancellationToken)
        where TCommand : IJobCommand =>
        await sender.Send(command, cancellationToken);
}

internal sealed class HangfireBackgroundJobs(IBackgroundJobClient client) : IBackgroundJobs
{
    public string Enqueue<TCommand>(TCommand command, JobLane queue = JobLane.Default)
        where TCommand : IJobCommand =>
        client.Enqueue<MediatorJob>(QueueName(queue), job => job.RunAsync(command, CancellationToken.None));

    public static string QueueName(JobLane queue) => queue switch
    {
        JobLane.Mail => "mail",
        JobLane.Crm => "crm",
        JobLane.Billing => "billing",
        _ => "default",
    };
}
