using System.Security.Cryptography;
using System.Text;
using CustomerInfo.Application.Common;
using Marten;

namespace CustomerInfo.Application.Accounts;

/// <summary>
/// Failed attempts against one account (the platform owner's sign-in) or one address (reset and
/// invitation mails), counted in PostgreSQL so every pod sees the same count.
/// The key is a hash: the table holds no address.
/// </summary>
public sealed record ThrottledKey(string Id, int Failures, DateTimeOffset WindowStartedAt, DateTimeOffset? LockedUntil);

public sealed class AccountThrottle(IDocumentStore store, IClock clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan LockTime = TimeSpan.FromMinutes(5);

    public static string KeyFor(string scope, string value) =>
        scope + ":" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value.Trim().ToUpperInvariant())));

    /// <summary>Until when the key is locked, or null when it may try.</summary>
    public async Task<DateTimeOffset?> LockedUntilAsync(string key, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var state = await session.LoadAsync<ThrottledKey>(key, cancellationToken);
        return state?.LockedUntil is { } until && until > clock.UtcNow ? until : null;
    }

    /// <summary>Counts a failure; the fifth within the window locks the key.</summary>
    /// <returns>Until when the key is now locked, or null.</returns>
    public async Task<DateTimeOffset?> FailedAsync(string key, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        await using var session = store.LightweightSession();
        var state = await session.LoadAsync<ThrottledKey>(key, cancellationToken);
        var fresh = state is null || now - state.WindowStartedAt > Window;
        var failures = fresh ? 1 : state!.Failures + 1;
        var lockedUntil = failures >= MaxFailures ? now + LockTime : (DateTimeOffset?)null;
        session.Store(new ThrottledKey(key, lockedUntil is null ? failures : 0, fresh ? now : state!.WindowStartedAt, lockedUntil));
        await session.SaveChangesAsync(cancellationToken);
        return lockedUntil;
    }

    /// <summary>
    /// Counts a mail to the key (a reset link, a list of stores) and says whether it may go: at most
    /// <see cref="MaxFailures"/> per <see cref="Window"/>. A refused mail is not counted.
    /// </summary>
    public async Task<bool> MaySendAsync(string key, CancellationToken cancellationToken)
    {
        // Mail jobs run side by side: a serializable transaction, retried, so no two count the same slot.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var session = await store.LightweightSerializableSessionAsync(cancellationToken);
                var (allowed, next) = CountMail(await session.LoadAsync<ThrottledKey>(key, cancellationToken), key, clock.UtcNow);
                if (allowed)
                {
                    session.Store(next);
                    await session.SaveChangesAsync(cancellationToken);
                }

                return allowed;
            }
            catch (Exception exception) when (attempt < 10 && (PostgresErrors.IsSerializationFailure(exception) || PostgresErrors.IsUniqueViolation(exception)))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), cancellationToken);
            }
        }
    }

    /// <summary>The mail rule on its own: a window opens with the first mail and holds five.</summary>
    public static (bool Allowed, ThrottledKey Next) CountMail(ThrottledKey? state, string key, DateTimeOffset now)
    {
        if (state is null || now - state.WindowStartedAt >= Window)
        {
            return (true, new ThrottledKey(key, 1, now, null));
        }

        return state.Failures >= MaxFailures ? (false, state) : (true, state with { Failures = state.Failures + 1 });
    }

    public async Task SucceededAsync(string key, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        session.Delete<ThrottledKey>(key);
        await session.SaveChangesAsync(cancellationToken);
    }
}
