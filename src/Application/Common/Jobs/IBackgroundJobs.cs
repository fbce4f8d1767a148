using Mediator;

namespace CustomerInfo.Application.Common.Jobs;

/// <summary>
/// A command a background job may send. Jobs run as the system principal, and the authorization
/// behaviour lets that principal send only commands marked with this interface: there is no blanket bypass.
/// Its properties are ids and flags, never personal data or secrets, because Hangfire stores and
/// shows a job's arguments.
/// </summary>
public interface IJobCommand : ICommand;

/// <summary>A job command for one store: the job runs it in that tenant's scope, as a request on its host would.</summary>
public interface ITenantJobCommand : IJobCommand
{
    Guid TenantId { get; }
}

/// <summary>The Hangfire queue a job command runs on.</summary>
public enum JobLane
{
    /// <summary>Mail someone is waiting for (a confirmation, a sign-in link): taken first, and quick.</summary>
    Mail,
    Crm,
    Billing,
    Default,
}

/// <summary>Runs a command later, in a background job that retries until it succeeds.</summary>
public interface IBackgroundJobs
{
    /// <returns>The job's id.</returns>
    string Enqueue<TCommand>(TCommand command, JobLane lane = JobLane.Default)
        where TCommand : IJobCommand;

    /// <summary>Runs the command once <paramref name="delay"/> has passed (a retry's back-off).</summary>
    /// <returns>The job's id.</returns>
    string Schedule<TCommand>(TCommand command, TimeSpan delay, JobLane lane = JobLane.Default)
        where TCommand : IJobCommand;
}
