using CustomerInfo.Application.SignUps.GetSignUp;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerInfo.Web.Pages.Admin.SignUps;

/// <summary>One sign-up (Staff and up): what the shopper gave, their consent, where, and its history. Another store's id: 404.</summary>
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class DetailModel(ISender sender) : PageModel
{
    public SignUpDetail SignUp { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await sender.Send(new GetSignUpQuery(id), cancellationToken) is not { } signUp)
        {
            return NotFound();
        }

        SignUp = signUp;
        return Page();
    }

    public string Local(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, SignUp.TimeZone).ToString("d MMM yyyy HH:mm", System.Globalization.CultureInfo.CurrentCulture);
}
