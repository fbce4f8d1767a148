using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Team.AcceptInvitation;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Web.Abuse;
using CustomerInfo.Web.Resources;
using CustomerInfo.Web.Security;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace CustomerInfo.Web.Pages.Admin;

/// <summary>
/// The page an invitation mail links to: choose a password, join, and land in the admin signed in.
/// A used, expired, withdrawn or unknown link says so and offers the sign-in. The address is the
/// invited one: an invitation can only become an account for the address it was sent to.
/// </summary>
[RequestBodyLimit(RequestBodyLimitAttribute.OwnerFormBytes)]
[EnableRateLimiting(AccountRateLimits.Policy)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class InvitationModel(ISender sender, ITenantContext tenant, IStringLocalizer<AdminText> text) : PageModel
{
    [BindProperty]
    public AcceptInvitationCommand Command { get; set; } = new(null, null);

    public InvitationLookup? Lookup { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? token, CancellationToken cancellationToken)
    {
        Command = Command with { Token = token };
        Lookup = await sender.Send(new GetInvitationQuery(token), cancellationToken);
        return Lookup.Unknown ? NotFoundPage() : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Lookup = await sender.Send(new GetInvitationQuery(Command.Token), cancellationToken);
        if (Lookup.Unknown)
        {
            return NotFoundPage();
        }

        var result = await sender.Send(Command, cancellationToken);
        if (!result.Joined)
        {
            Lookup = Lookup with { State = result.State };
            return Page();
        }

        await HttpContext.SignInAsync(MemberAuthentication.Scheme, MemberAuthentication.Principal(tenant.RequiredTenant.Id, result.Member!));
        return LocalRedirect(MemberAuthentication.AdminPath);
    }

    public string RoleName(TeamRole role) => text["Role_" + role];

    private PageResult NotFoundPage()
    {
        Lookup = new InvitationLookup(null);
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
