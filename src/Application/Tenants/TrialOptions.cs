namespace CustomerInfo.Application.Tenants;

/// <summary>How long a new retailer may try the platform before they subscribe (<c>Billing:TrialDays</c>).</summary>
public sealed class TrialOptions
{
    public const string Section = "Billing";
    public const int MaxTrialDays = 365;

    public int TrialDays { get; set; } = 14;
}
