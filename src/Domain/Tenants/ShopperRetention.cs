namespace CustomerInfo.Domain.Tenants;

/// <summary>How long a store keeps a shopper's data after their latest sign-up (issue 14 §6).</summary>
public static class ShopperRetention
{
    /// <summary>Two years: long enough for a yearly customer, short enough to be a reason the GDPR accepts.</summary>
    public const int DefaultMonths = 24;

    /// <summary>The choices an Owner has, in months; "until erased" is the other one.</summary>
    public static IReadOnlyList<int> Choices { get; } = [12, 24, 36, 60];

    /// <summary>Whether <paramref name="months"/> (null: until erased) is a choice an Owner may make.</summary>
    public static bool IsChoice(int? months) => months is null || Choices.Contains(months.Value);

    /// <summary>A sign-up before this moment is past its retention at <paramref name="now"/>.</summary>
    public static DateTimeOffset ErasesBefore(DateTimeOffset now, int months) => now.AddMonths(-months);
}
