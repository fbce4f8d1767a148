namespace CustomerInfo.Application.Owner;

/// <summary>
/// The platform owner's account, from configuration (<c>Owner:Email</c>, <c>Owner:PasswordHash</c>).
/// <c>Owner:Password</c> (plain text) is accepted outside Production only, for local runs.
/// </summary>
public sealed class OwnerOptions
{
    public const string Section = "Owner";

    public string? Email { get; set; }

    /// <summary>An ASP.NET Core Identity v3 password hash (PBKDF2), made with <c>CustomerInfo.Web.dll hash-password</c>.</summary>
    public string? PasswordHash { get; set; }

    public string? Password { get; set; }

    /// <summary>
    /// The base32 key of the owner's authenticator app (<c>Owner:TotpSecret</c>, from the Secret): when set,
    /// signing in at /owner takes a code from it as well. Production refuses to start without it (ADR 25),
    /// unless <see cref="AllowSignInWithoutTotp"/> says so out loud.
    /// </summary>
    public string? TotpSecret { get; set; }

    /// <summary><c>Owner:AllowSignInWithoutTotp</c>: lets Production start without <see cref="TotpSecret"/>. Off by default.</summary>
    public bool AllowSignInWithoutTotp { get; set; }

    public bool RequiresTotp => !string.IsNullOrWhiteSpace(TotpSecret);

    /// <summary>What is wrong with the owner's second factor for this environment, or null.</summary>
    public static string? Problem(OwnerOptions options, bool production)
    {
        if (options.RequiresTotp && (TwoFactorKeyBytes(options) is not { Length: >= 10 }))
        {
            return "Owner:TotpSecret is not a base32 key of at least 16 characters (80 bits).";
        }

        return production && !options.RequiresTotp && !options.AllowSignInWithoutTotp
            ? "Owner:TotpSecret must be set in Production: the platform owner signs in with a second factor (or set Owner:AllowSignInWithoutTotp=true to refuse that protection)."
            : null;
    }

    public static byte[]? TwoFactorKeyBytes(OwnerOptions options) => Accounts.TwoFactor.Base32.Decode(options.TotpSecret);
}
