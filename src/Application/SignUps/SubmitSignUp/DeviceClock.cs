namespace CustomerInfo.Application.SignUps.SubmitSignUp;

/// <summary>
/// How far the server believes a tablet's clock. The tablet says when the shopper tapped "Sign up"
/// (an offline-queued sign-up arrives later); that is a claim, kept beside the server's own times,
/// never one the server vouches for.
/// </summary>
public static class DeviceClock
{
    /// <summary>How far a tablet's clock may run ahead before its time is not believed.</summary>
    public static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How old an offline-queued sign-up may claim to be. The kiosk deletes queued sign-ups after
    /// its expiry setting (Kiosk:QueueExpiryDays, at most 30 days), so an older claim comes from a
    /// wrong clock or a hand-made request, not from the queue.
    /// </summary>
    public static readonly TimeSpan OfflineLimit = TimeSpan.FromDays(30);

    /// <summary>
    /// The tablet's time when it is believable (a time a little ahead counts as now), or null when
    /// the tablet sent none or one outside the limits.
    /// </summary>
    public static DateTimeOffset? Claim(DateTimeOffset? filledAt, DateTimeOffset receivedAt) =>
        filledAt is { } filled && filled <= receivedAt + Skew && filled >= receivedAt - OfflineLimit
            ? (filled > receivedAt ? receivedAt : filled)
            : null;
}
