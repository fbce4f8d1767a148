using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Accounts;
using FluentValidation;
using Mediator;

namespace CustomerInfo.Application.Team.ChangeMemberRole;

[RequiresRole(TeamRole.Owner)]
public sealed record ChangeMemberRoleCommand(Guid MemberId, TeamRole Role) : ICommand<TeamChangeResult>;

public sealed class ChangeMemberRoleValidator : AbstractValidator<ChangeMemberRoleCommand>
{
    public ChangeMemberRoleValidator()
    {
        RuleFor(c => c.MemberId).NotEmpty().WithMessage("Choose a member of the team.");
        RuleFor(c => c.Role).IsInEnum().WithMessage("Choose Owner, Manager or Staff.");
    }
}

/// <summary>The new role counts at once: every admin request reads the member's role afresh.</summary>
public sealed class ChangeMemberRoleHandler(TeamChanges team, IClock clock) : ICommandHandler<ChangeMemberRoleCommand, TeamChangeResult>
{
    public async ValueTask<TeamChangeResult> Handle(ChangeMemberRoleCommand command, CancellationToken cancellationToken) =>
        await team.ChangeAsync(command.MemberId, (session, member, owners) =>
        {
            if (member.Role == command.Role)
            {
                return TeamChangeResult.Succeeded;
            }

            if (TeamRules.RefuseChange(member.Role, command.Role, owners) is { } refusal)
            {
                return new TeamChangeResult(false, refusal);
            }

            session.Events.Append(member.Id, new MemberRoleChanged(member.Id, member.Role, command.Role, clock.UtcNow));
            member.Role = command.Role;
            session.Update(member);
            return TeamChangeResult.Succeeded;
        }, cancellationToken);
}
