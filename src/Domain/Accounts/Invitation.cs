namespace CustomerInfo.Domain.Accounts;

/// <summary>
/// An Owner's invitation to join the team. The link carries a random token; only its SHA-256 hash
/// is stored, so the database alone cannot accept an invitation.
/// </summary>
public sealed record Invitation(
    Guid Id,
    string Email,
    string NormalizedEmail,
    TeamRole Role,
    string TokenHash,
    Guid InvitedBy,
    DateTimeOffset InvitedAt,
    DateTimeOffset ExpiresAt)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public DateTimeOffset? AcceptedAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    public InvitationState StateAt(DateTimeOffset now) =>
        AcceptedAt is not null ? InvitationState.Accepted
        : RevokedAt is not null ? InvitationState.Revoked
        : now >= ExpiresAt ? InvitationState.Expired
        : InvitationState.Open;
}

public enum InvitationState
{
    Open,
    Accepted,
    Revoked,
    Expired,
}
