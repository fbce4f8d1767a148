namespace CustomerInfo.Web.Pages.Store;

/// <summary>Settings of the kiosk tablet, section <c>Kiosk</c>.</summary>
public sealed class KioskOptions
{
    public const string Section = "Kiosk";

    /// <summary>
    /// After this many days a sign-up still on the tablet (waiting or held) is deleted there: it holds
    /// personal data. At most 30: the server refuses a sign-up filled in longer ago than that.
    /// </summary>
    public int QueueExpiryDays { get; set; } = 7;

    public static bool IsValid(KioskOptions options) => options.QueueExpiryDays is >= 1 and <= 30;
}

public static class KioskOptionsRegistration
{
    /// <summary>A value out of range stops the app at start rather than sending tablets a bad expiry.</summary>
    public static IServiceCollection AddKioskOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<KioskOptions>()
            .Bind(configuration.GetSection(KioskOptions.Section))
            .Validate(KioskOptions.IsValid, "Kiosk:QueueExpiryDays must be 1 to 30 (the server refuses sign-ups filled in more than 30 days ago).")
            .ValidateOnStart();
        return services;
    }
}

/// <summary>What the kiosk's queue panel needs from the server: the store's PIN hash (or none) and the expiry.</summary>
public sealed record KioskQueuePanel(string? StaffPin, int ExpiryDays)
{
    public static KioskQueuePanel For(Application.SignUps.GetSignUpForm.SignUpForm form, KioskOptions options) =>
        new(form.StaffPin?.ForDevice, options.QueueExpiryDays);
}
