using CustomerInfo.Application.Accounts;
using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Accounts;
using FluentValidation;
using Mediator;

namespace CustomerInfo.Application.Team.RemoveMember;

[RequiresRole(TeamRole.Owner)]
public sealed record RemoveMemberCommand(Guid MemberId) : ICommand<TeamChangeResult>;

public sealed class RemoveMemberValidator : AbstractValidator<RemoveMemberCommand>
{
    public RemoveMemberValidator() => RuleFor(c => c.MemberId).NotEmpty().WithMessage("Choose a member of the team.");
}

/// <summary>
/// The account goes, and with it, in the same transaction, every session of that person: they are
/// signed out at once on every device. The history keeps only that member id left.
/// </summary>
public sealed class RemoveMemberHandler(TeamChanges team, ISessions sessions, ITenantContext tenant, IClock clock)
    : ICommandHandler<RemoveMemberCommand, TeamChangeResult>
{
    public async ValueTask<TeamChangeResult> Handle(RemoveMemberCommand command, CancellationToken cancellationToken) =>
        await team.ChangeAsync(command.MemberId, (session, member, owners) =>
        {
            if (TeamRules.RefuseChange(member.Role, null, owners) is { } refusal)
            {
                return new TeamChangeResult(false, refusal);
            }

            session.Events.Append(member.Id, new MemberRemoved(member.Id, clock.UtcNow));
            session.Delete(member);
            sessions.EndAllOf(session, tenant.RequiredTenant.Id, member.Id);
            return TeamChangeResult.Succeeded;
        }, cancellationToken);
}
