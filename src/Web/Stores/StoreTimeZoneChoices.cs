using CustomerInfo.Domain.Stores;

namespace CustomerInfo.Web.Stores;

/// <summary>The time zones the store form offers: our retailers' first, then every IANA zone this machine knows.</summary>
public static class StoreTimeZoneChoices
{
    public static IReadOnlyList<string> Suggested { get; } =
        ["Europe/Amsterdam", "Europe/Brussels", "Europe/Berlin", "Europe/London", "Europe/Paris"];

    public static IReadOnlyList<string> All { get; } =
        [.. TimeZoneInfo.GetSystemTimeZones()
            .Where(z => z.HasIanaId && z.Id.Contains('/', StringComparison.Ordinal) && StoreTimeZones.IsKnown(z.Id))
            .Select(z => z.Id)
            .Except(Suggested)
            .Order(StringComparer.Ordinal)];
}
