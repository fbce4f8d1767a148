namespace CustomerInfo.TestSupport;

/// <summary>Waits for something another pod or a background service does, polling, up to a bound.</summary>
public static class Eventually
{
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(5);

    /// <returns>Whether <paramref name="done"/> held for what <paramref name="read"/> gave before <paramref name="within"/> passed.</returns>
    public static async Task<bool> HoldsAsync<T>(Func<ValueTask<T>> read, Func<T, bool> done, TimeSpan? within = null)
    {
        var until = DateTime.UtcNow + (within ?? Within);
        while (DateTime.UtcNow < until)
        {
            if (done(await read()))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
