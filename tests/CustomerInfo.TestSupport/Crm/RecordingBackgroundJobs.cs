using System.Collections.Concurrent;
using CustomerInfo.Application.Common.Jobs;

namespace CustomerInfo.TestSupport.Crm;

/// <summary>Jobs as the app enqueued them, not run: a test checks what was asked for.</summary>
public sealed class RecordingBackgroundJobs : IBackgroundJobs
{
    private readonly ConcurrentQueue<(IJobCommand Command, JobLane Lane)> enqueued = new();

    public IReadOnlyList<(IJobCommand Command, JobLane Lane)> Enqueued => enqueued.ToArray();

    public void Clear() => enqueued.Clear();

    public string Enqueue<TCommand>(TCommand command, JobLane lane = JobLane.Default)
        where TCommand : IJobCommand
    {
        enqueued.Enqueue((command, lane));
        return Guid.NewGuid().ToString("N");
    }

    public string Schedule<TCommand>(TCommand command, TimeSpan delay, JobLane lane = JobLane.Default)
        where TCommand : IJobCommand => Enqueue(command, lane);
}
