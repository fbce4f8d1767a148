namespace CustomerInfo.Domain.Accounts;

/// <summary>
/// A person's account in one retailer's team. Accounts belong to a tenant: the same address in two
/// tenants is two accounts, each with its own password, so a session in one never reaches the other.
/// Mutable because ASP.NET Core Identity's stores set its fields one by one.
/// </summary>
public sealed class TeamMember
{
    public Guid Id { get; set; }

    public string Email { get; set; } = "";

    /// <summary>Upper-cased by Identity's normaliser; unique within the tenant.</summary>
    public string NormalizedEmail { get; set; } = "";

    public bool EmailConfirmed { get; set; }

    public string? PasswordHash { get; set; }

    /// <summary>Changes whenever the credentials change; a session with an older stamp is over.</summary>
    public string SecurityStamp { get; set; } = "";

    public TeamRole Role { get; set; } = TeamRole.Staff;

    /// <summary>The language of the admin and of the member's mails: "en" or "nl".</summary>
    public string Language { get; set; } = "en";

    public DateTimeOffset JoinedAt { get; set; }

    public DateTimeOffset? LockoutEnd { get; set; }

    public bool LockoutEnabled { get; set; } = true;

    public int AccessFailedCount { get; set; }

    /// <summary>Two-factor sign-in is on: after the password, a code from the authenticator app (or a recovery code).</summary>
    public bool TwoFactorEnabled { get; set; }

    /// <summary>The authenticator app's key (base32), protected with the Data Protection keys; set while setting up too.</summary>
    public string? AuthenticatorKey { get; set; }

    /// <summary>The time step of the last code accepted: a code is good once (ADR 25).</summary>
    public long? LastAuthenticatorStep { get; set; }

    /// <summary>Salted hashes of the recovery codes not yet used; never the codes themselves.</summary>
    public List<string> RecoveryCodeHashes { get; set; } = [];

    /// <summary>The tenant the account belongs to, filled in by Marten from the row: read only by searches across tenants.</summary>
    public string TenantId { get; set; } = "";
}
