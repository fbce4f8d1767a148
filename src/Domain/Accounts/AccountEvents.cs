namespace CustomerInfo.Domain.Accounts;

// Team events live in each member's stream (the member id). They carry ids and roles, never an
// address: who a member is stays in the TeamMember document, so a person who leaves can be forgotten.

public sealed record MemberJoined(Guid MemberId, TeamRole Role, Guid? InvitationId, DateTimeOffset JoinedAt);

public sealed record MemberEmailConfirmed(Guid MemberId, DateTimeOffset ConfirmedAt);

public sealed record MemberPasswordChanged(Guid MemberId, DateTimeOffset ChangedAt);

public sealed record MemberRoleChanged(Guid MemberId, TeamRole From, TeamRole To, DateTimeOffset ChangedAt);

public sealed record MemberRemoved(Guid MemberId, DateTimeOffset RemovedAt);

/// <summary>In the invitation's own stream. The address is in the <see cref="Invitation"/> document only.</summary>
public sealed record MemberInvited(Guid InvitationId, TeamRole Role, DateTimeOffset ExpiresAt, DateTimeOffset InvitedAt);

public sealed record InvitationRevoked(Guid InvitationId, DateTimeOffset RevokedAt);

// Sign-ins and two-factor settings (hardening, issue 14 §4–§5). In the member's stream, ids and
// flags only: the audit log reads who and from where out of the event headers.

/// <summary>A member signed in; <see cref="WithSecondFactor"/> when a TOTP or recovery code was given too.</summary>
public sealed record MemberSignedIn(Guid MemberId, bool WithSecondFactor, DateTimeOffset SignedInAt);

/// <summary>A member set up an authenticator app (and was given recovery codes).</summary>
public sealed record MemberTwoFactorEnabled(Guid MemberId, DateTimeOffset EnabledAt);

/// <summary>A member turned two-factor sign-in off (refused while the tenant requires it of an Owner).</summary>
public sealed record MemberTwoFactorDisabled(Guid MemberId, DateTimeOffset DisabledAt);

/// <summary>A member signed in with one of their recovery codes; <see cref="CodesLeft"/> remain.</summary>
public sealed record MemberRecoveryCodeUsed(Guid MemberId, int CodesLeft, DateTimeOffset UsedAt);

/// <summary>A member was given a new set of recovery codes; the old ones stop working.</summary>
public sealed record MemberRecoveryCodesRenewed(Guid MemberId, DateTimeOffset RenewedAt);
