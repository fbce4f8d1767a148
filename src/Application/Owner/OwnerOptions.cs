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
}
