using CustomerInfo.Application.Accounts;
using CustomerInfo.Application.Accounts.ConfirmEmail;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerInfo.Web.Pages.Admin;

/// <summary>
/// The confirmation mail's link. A GET confirms (the link is the proof), so a mail client's link
/// preview could confirm too: harmless, it only proves the mail arrived. Reused, expired and forged
/// links say so, with the way forward (the admin, where a new link can be sent).
/// </summary>
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class ConfirmModel(ISender sender) : PageModel
{
    public AccountTokenCheck Check { get; private set; }

    public async Task OnGetAsync(string? token, CancellationToken cancellationToken)
    {
        Check = await sender.Send(new ConfirmEmailCommand(token), cancellationToken);
        Response.StatusCode = Check switch
        {
            AccountTokenCheck.Valid => StatusCodes.Status200OK,
            AccountTokenCheck.Invalid => StatusCodes.Status404NotFound,
            _ => StatusCodes.Status410Gone,
        };
    }
}
