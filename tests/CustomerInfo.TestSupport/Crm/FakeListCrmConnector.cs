using System.Collections.Concurrent;
using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Crm;

namespace CustomerInfo.TestSupport.Crm;

/// <summary>
/// A connector with an API key, field mapping and lists, for testing the settings page and its
/// commands generically while the vendor connectors (which sit behind loopback fakes) are built
/// elsewhere. It answers from memory: <see cref="GoodKey"/> works, any other key is refused the way
/// a CRM refuses a wrong key.
/// </summary>
public sealed class FakeListCrmConnector : ICrmConnector
{
    public const string Kind = "fakelist";
    public const string KeySetting = "apiKey";
    public const string ListSetting = "list";
    public const string GoodKey = "pk-live-Gd7s2Lq9x9Qa";

    /// <summary>The keys each test or catalog call was made with, to prove which tenant's credentials were used.</summary>
    public ConcurrentQueue<string?> KeysUsed { get; } = new();

    public CrmConnectorInfo Info { get; } = new(
        Kind,
        "Fake list CRM",
        [new(KeySetting, CrmSettingKind.Token, Required: true, Secret: true), new(ListSetting, CrmSettingKind.List, Required: true)],
        MaxBatchSize: 100,
        CanMerge: false,
        CanErase: false,
        MapsFields: true,
        HasLists: true);

    public static readonly CrmCatalog Catalog = new(
        [new("FNAME", "First name", "text"), new("LNAME", "Last name", "text"), new("PHONE", "Phone", "phone"), new("SHOE", "Shoe size", "text"), new("ID", "Record id", "text", ReadOnly: true)],
        [new("l-news", "Newsletter", true), new("l-vip", "VIP club", false)]);

    public IReadOnlyList<CrmSettingError> Check(IReadOnlyDictionary<string, string> settings)
    {
        if (!settings.TryGetValue(KeySetting, out var key) || string.IsNullOrWhiteSpace(key))
        {
            return [new(KeySetting, CrmSettingProblem.Missing)];
        }

        return key.Any(char.IsWhiteSpace) || !key.StartsWith("pk-", StringComparison.Ordinal) ? [new(KeySetting, CrmSettingProblem.Malformed)] : [];
    }

    public Task<CrmResult> TestAsync(CrmTarget target, CancellationToken cancellationToken)
    {
        KeysUsed.Enqueue(target.Setting(KeySetting));
        return Task.FromResult(target.Setting(KeySetting) == GoodKey ? CrmResult.Done() : CrmResult.BadCredentials("401 Unauthorized: Your API key is invalid or was revoked."));
    }

    public Task<CrmCatalogResult> ListCatalogAsync(CrmTarget target, CancellationToken cancellationToken)
    {
        KeysUsed.Enqueue(target.Setting(KeySetting));
        return Task.FromResult(target.Setting(KeySetting) == GoodKey
            ? new CrmCatalogResult(CrmResult.Done(), Catalog)
            : new CrmCatalogResult(CrmResult.BadCredentials("401 Unauthorized: Your API key is invalid or was revoked."), null));
    }

    public Task<IReadOnlyList<CrmResult>> UpsertAsync(CrmTarget target, IReadOnlyList<CrmContact> contacts, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CrmResult>>([.. contacts.Select(_ => CrmResult.Done())]);

    public Task<CrmResult> MergeAsync(CrmTarget target, CrmMerge merge, CancellationToken cancellationToken) => Task.FromResult(CrmResult.Done());

    public Task<CrmResult> EraseAsync(CrmTarget target, CrmErasure erasure, CancellationToken cancellationToken) => Task.FromResult(CrmResult.Done());
}

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
