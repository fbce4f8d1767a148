using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Team;
using CustomerInfo.Application.Team.ChangeMemberRole;
using CustomerInfo.Application.Team.InviteMember;
using CustomerInfo.Application.Team.ListTeam;
using CustomerInfo.Application.Team.RemoveMember;
using CustomerInfo.Application.Team.RevokeInvitation;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Web.Abuse;
using CustomerInfo.Web.Resources;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CustomerInfo.Web.Pages.Admin;

/// <summary>The team (Owners only): who is in it with which role, and the invitations still open.</summary>
[RequestBodyLimit(RequestBodyLimitAttribute.OwnerFormBytes)]
public sealed class TeamModel(ISender sender, ActorContext actors, CustomerInfo.Application.Common.Tenancy.ITenantContext tenant, IStringLocalizer<AdminText> text) : PageModel
{
    public TeamView Team { get; private set; } = new([], []);

    /// <summary>The member whose removal waits for confirmation (?remove=id), if any.</summary>
    public TeamMemberView? Removing { get; private set; }

    public Guid? Me => actors.Current.MemberId;

    [TempData]
    public string? Done { get; set; }

    public string? Refusal { get; private set; }

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        Team = await sender.Send(new ListTeamQuery(), HttpContext.RequestAborted);
        await next();
    }

    public void OnGet(Guid? remove) => Removing = Team.Members.FirstOrDefault(m => m.Id == remove);

    public async Task<IActionResult> OnPostRoleAsync(Guid memberId, string? role, CancellationToken cancellationToken)
    {
        if (!TeamRoles.TryParse(role, out var newRole))
        {
            Refusal = text["ChooseRole"];
            return Page();
        }

        return Outcome(await sender.Send(new ChangeMemberRoleCommand(memberId, newRole), cancellationToken), text["RoleChanged", EmailOf(memberId), text["Role_" + newRole]]);
    }

    [BindProperty]
    public InviteMemberCommand Invite { get; set; } = new(null, TeamRole.Staff);

    public async Task<IActionResult> OnPostInviteAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        await sender.Send(Invite, cancellationToken);
        Done = text["InvitationSent", Invite.Email!.Trim()];
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid invitationId, CancellationToken cancellationToken)
    {
        var invitation = Team.OpenInvitations.FirstOrDefault(i => i.Id == invitationId);
        if (!await sender.Send(new RevokeInvitationCommand(invitationId), cancellationToken))
        {
            Refusal = text["InvitationGone"];
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        Done = text["InvitationRevoked", invitation?.Email ?? ""];
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid memberId, CancellationToken cancellationToken) =>
        Outcome(await sender.Send(new RemoveMemberCommand(memberId), cancellationToken), text["MemberRemoved", EmailOf(memberId)]);

    /// <summary>The team's rule: Owners must use two-factor sign-in.</summary>
    public bool OwnersMustUseTwoFactor => tenant.RequiredTenant.OwnersMustUseTwoFactor;

    public async Task<IActionResult> OnPostTwoFactorRuleAsync(bool required, CancellationToken cancellationToken)
    {
        var change = await sender.Send(new Application.Accounts.TwoFactor.SetTwoFactorRequirementCommand(required), cancellationToken);
        if (change.IsRefused || change.Outcome == Application.Tenants.TenantChangeOutcome.NotFound)
        {
            Refusal = change.Explanation;
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        Done = required ? text["TwoFactorRuleOn"] : text["TwoFactorRuleOff"];
        return RedirectToPage();
    }

    public string RoleName(TeamRole role) => text["Role_" + role];

    private string EmailOf(Guid memberId) => Team.Members.FirstOrDefault(m => m.Id == memberId)?.Email ?? "";

    private IActionResult Outcome(TeamChangeResult result, string done)
    {
        if (!result.Done)
        {
            Refusal = result == TeamChangeResult.NotFound ? text["NotInTeam"]
                : result == TeamChangeResult.Conflict ? text["TeamConflict"]
                : text["LastOwner"];
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        Done = done;
        return RedirectToPage();
    }
}
