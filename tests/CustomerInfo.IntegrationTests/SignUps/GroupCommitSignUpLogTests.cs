using System.Diagnostics.Metrics;
using CustomerInfo.Application.Common;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Infrastructure;
using CustomerInfo.Infrastructure.Persistence;
using CustomerInfo.Infrastructure.SignUps;
using CustomerInfo.TestSupport;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CustomerInfo.IntegrationTests.SignUps;

/// <summary>Group commit against the real database: many shoppers at once, each stored exactly once, in their own store.</summary>
public sealed class GroupCommitSignUpLogTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime, IDisposable
{
    private readonly ServiceProvider metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly List<int> writeSizes = [];
    private MeterListener? listener;
    private Guid demoId;
    private Guid otherId;

    private IDocumentStore Store => app.Services.GetRequiredService<IDocumentStore>();

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        demoId = await app.AddStoreAsync("demo", "Demo Store");
        otherId = await app.AddStoreAsync("other", "Other Store");

        // Only this test's log: its meter comes from a factory of its own.
        var factory = metrics.GetRequiredService<IMeterFactory>();
        listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Meter.Name == AppMeter.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, size, _, _) =>
        {
            lock (writeSizes)
            {
                writeSizes.Add(size);
            }
        });
        listener.Start();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        listener?.Dispose();
        metrics.Dispose();
    }

    private GroupCommitSignUpLog NewLog() => new(Store, NullLogger<GroupCommitSignUpLog>.Instance, metrics.GetRequiredService<IMeterFactory>());

    private static SignUpSubmitted SignUp(Guid? id = null, string email = "ann@example.com") => new(
        id ?? Guid.NewGuid(),
        FormVersion: 1,
        Language: "en",
        Location: null,
        FilledAt: DateTimeOffset.UtcNow,
        ReceivedAt: DateTimeOffset.UtcNow,
        new Shopper("Ann", "de Vries", email, null, null, null),
        Answers: [],
        EmailConsent: null,
        SmsConsent: null);

    private async Task<int> EventsInStreamAsync(Guid tenantId, Guid streamId)
    {
        await using var session = Store.QuerySession(tenantId.ToString());
        return (await session.Events.FetchStreamAsync(streamId)).Count;
    }

    [Fact]
    public async Task Many_shoppers_at_once_are_each_stored_once_and_share_transactions()
    {
        await using var log = NewLog();
        var signUps = Enumerable.Range(0, 200).Select(i => SignUp(email: $"shopper{i}@example.com")).ToList();

        var results = await Task.WhenAll(signUps.Select(s => log.StartAsync(demoId, s, CancellationToken.None)));

        results.ShouldAllBe(stored => stored);
        await using var session = Store.QuerySession(demoId.ToString());
        (await session.Query<SignUpSummary>().CountAsync()).ShouldBe(200);
        lock (writeSizes)
        {
            writeSizes.Sum().ShouldBe(200);
            writeSizes.Max().ShouldBeGreaterThan(1, "sign-ups queued together are written together");
            writeSizes.Max().ShouldBeLessThanOrEqualTo(GroupCommitSignUpLog.MaxBatch);
        }
    }

    [Fact]
    public async Task A_double_tap_in_the_same_moment_is_stored_once()
    {
        await using var log = NewLog();
        var tapped = SignUp();
        var others = Enumerable.Range(0, 20).Select(_ => SignUp()).ToList();

        var first = log.StartAsync(demoId, tapped, CancellationToken.None);
        var second = log.StartAsync(demoId, tapped, CancellationToken.None);
        var rest = Task.WhenAll(others.Select(s => log.StartAsync(demoId, s, CancellationToken.None)));
        var results = new[] { await first, await second };

        results.Count(stored => stored).ShouldBe(1);
        (await rest).ShouldAllBe(stored => stored);
        (await EventsInStreamAsync(demoId, tapped.SignUpId)).ShouldBe(1);
    }

    [Fact]
    public async Task A_sign_up_received_before_answers_already_received_without_costing_the_others_theirs()
    {
        await using var log = NewLog();
        var earlier = SignUp();
        (await log.StartAsync(demoId, earlier, CancellationToken.None)).ShouldBeTrue();
        var others = Enumerable.Range(0, 30).Select(_ => SignUp()).ToList();

        var replay = log.StartAsync(demoId, earlier, CancellationToken.None);
        var results = await Task.WhenAll(others.Select(s => log.StartAsync(demoId, s, CancellationToken.None)));

        (await replay).ShouldBeFalse();
        results.ShouldAllBe(stored => stored);
        (await EventsInStreamAsync(demoId, earlier.SignUpId)).ShouldBe(1);
        foreach (var other in others)
        {
            (await EventsInStreamAsync(demoId, other.SignUpId)).ShouldBe(1);
        }
    }

    [Fact]
    public async Task Sign_ups_of_two_stores_written_at_once_each_stay_in_their_own_store()
    {
        await using var log = NewLog();
        var demo = Enumerable.Range(0, 40).Select(i => SignUp(email: $"demo{i}@example.com")).ToList();
        var other = Enumerable.Range(0, 40).Select(i => SignUp(email: $"other{i}@example.com")).ToList();

        await Task.WhenAll(demo.Select(s => log.StartAsync(demoId, s, CancellationToken.None))
            .Concat(other.Select(s => log.StartAsync(otherId, s, CancellationToken.None))));

        await using var demoSession = Store.QuerySession(demoId.ToString());
        (await demoSession.Query<SignUpSummary>().ToListAsync()).Select(s => s.Email).ShouldBe(demo.Select(s => s.Shopper.Email), ignoreOrder: true);
        await using var otherSession = Store.QuerySession(otherId.ToString());
        (await otherSession.Query<SignUpSummary>().ToListAsync()).Select(s => s.Email).ShouldBe(other.Select(s => s.Shopper.Email), ignoreOrder: true);
    }

    [Fact]
    public async Task A_caller_that_stops_waiting_still_has_its_sign_up_stored_and_shutting_down_writes_what_is_queued()
    {
        var log = NewLog();
        var abandoned = SignUp();
        var queued = Enumerable.Range(0, 25).Select(_ => SignUp()).ToList();

        await Should.ThrowAsync<OperationCanceledException>(() => log.StartAsync(demoId, abandoned, new CancellationToken(canceled: true)));
        var writes = queued.Select(s => log.StartAsync(demoId, s, CancellationToken.None)).ToList();
        await log.DisposeAsync();

        // Disposed means written: every queued sign-up is in the database before its caller resumes.
        (await EventsInStreamAsync(demoId, abandoned.SignUpId)).ShouldBe(1);
        foreach (var signUp in queued)
        {
            (await EventsInStreamAsync(demoId, signUp.SignUpId)).ShouldBe(1);
        }

        (await Task.WhenAll(writes)).ShouldAllBe(stored => stored);
        await Should.ThrowAsync<InvalidOperationException>(() => log.StartAsync(demoId, SignUp(), CancellationToken.None));
    }

    [Fact]
    public async Task When_the_database_cannot_be_reached_every_caller_gets_the_error_and_none_waits_forever()
    {
        using var unreachable = DocumentStore.For(options =>
            MartenConfiguration.Configure(options, "Host=127.0.0.1;Port=1;Username=nobody;Password=none;Timeout=2", applySchemaChanges: false));
        await using var log = new GroupCommitSignUpLog(unreachable, NullLogger<GroupCommitSignUpLog>.Instance, metrics.GetRequiredService<IMeterFactory>());

        var writes = Enumerable.Range(0, 5).Select(_ => log.StartAsync(demoId, SignUp(), CancellationToken.None)).ToList();

        foreach (var write in writes)
        {
            var error = await ErrorOf(write, TimeSpan.FromSeconds(60));
            IsTheDatabaseError(error).ShouldBeTrue($"the write ended with {error?.GetType().Name ?? "no error, or still waits"}");
        }
    }

    [Fact]
    public async Task When_writes_time_out_every_waiting_caller_gets_the_error_after_one_timeout_not_one_after_another()
    {
        // A session holds the events table, as slow queries would; the log's commands give up after 1 s.
        await using var holder = new NpgsqlConnection(app.Database.ConnectionString);
        await holder.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var lockEvents = new NpgsqlCommand("lock table customerinfo.mt_events in exclusive mode", holder, transaction))
        {
            await lockEvents.ExecuteNonQueryAsync();
        }

        using var slow = DocumentStore.For(options =>
            MartenConfiguration.Configure(options, app.Database.ConnectionString + ";Command Timeout=1", applySchemaChanges: false));
        await using var log = new GroupCommitSignUpLog(slow, NullLogger<GroupCommitSignUpLog>.Instance, metrics.GetRequiredService<IMeterFactory>());
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var writes = Enumerable.Range(0, 6).Select(i => log.StartAsync(demoId, SignUp(email: $"slow{i}@example.com"), CancellationToken.None)).ToList();
        var errors = new List<Exception?>();
        foreach (var write in writes)
        {
            errors.Add(await ErrorOf(write, TimeSpan.FromSeconds(30)));
        }

        // Written one by one after the shared write failed, the last would wait six more timeouts (7 s).
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(4.5));
        errors.ShouldAllBe(error => error != null && PostgresErrors.IsUnavailable(error));
        await transaction.RollbackAsync();
    }

    [Fact]
    public async Task The_check_above_fails_for_a_caller_that_hangs_or_gives_up_waiting()
    {
        var hangs = new TaskCompletionSource().Task;
        IsTheDatabaseError(await ErrorOf(hangs, TimeSpan.FromMilliseconds(50))).ShouldBeFalse();
        IsTheDatabaseError(await ErrorOf(hangs.WaitAsync(TimeSpan.FromMilliseconds(10)), TimeSpan.FromSeconds(5))).ShouldBeFalse("a caller's own timeout is not the database's answer");
        IsTheDatabaseError(await ErrorOf(Task.CompletedTask, TimeSpan.FromSeconds(5))).ShouldBeFalse();
    }

    /// <summary>
    /// What a write ended with, read without a timeout of its own: null while it still waits after
    /// <paramref name="patience"/> (or when it succeeded), so a hanging caller fails the test instead of
    /// passing it with a <see cref="TimeoutException"/>.
    /// </summary>
    private static async Task<Exception?> ErrorOf(Task write, TimeSpan patience)
    {
        if (await Task.WhenAny(write, Task.Delay(patience)) != write)
        {
            return null;
        }

        try
        {
            await write;
            return null;
        }
        catch (Exception exception)
        {
            return exception;
        }
    }

    /// <summary>The error of a server that refuses connections: Npgsql's, or what wraps it.</summary>
    private static bool IsTheDatabaseError(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException or System.Net.Sockets.SocketException)
            {
                return true;
            }
        }

        return false;
    }
}
