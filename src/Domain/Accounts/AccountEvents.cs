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
