using CustomerInfo.Application.SignUps.ListSignUps;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CustomerInfo.Web.Pages.Admin.SignUps;

/// <summary>
/// The list's filter as it stands in the query string (the list and its export read the same one):
/// the fields, and reading them into a <see cref="SignUpFilter"/> with each refusal on its field.
/// </summary>
public abstract class SignUpFilterPage : PageModel
{
    [BindProperty(SupportsGet = true, Name = "from")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "store")]
    public string? Store { get; set; }

    [BindProperty(SupportsGet = true, Name = "email")]
    public string? Email { get; set; }

    [BindProperty(SupportsGet = true, Name = "sms")]
    public string? Sms { get; set; }

    [BindProperty(SupportsGet = true, Name = "source")]
    public string? Source { get; set; }

    [BindProperty(SupportsGet = true, Name = "push")]
    public string? Push { get; set; }

    /// <returns>False when a field could not be read; its message is then in the model state.</returns>
    protected bool TryReadFilter(string? search, IStringLocalizer text, out SignUpFilter filter)
    {
        (filter, var errors) = new SignUpFilterInput(From, To, Store, Email, Sms, Source, Push).Read(search);
        foreach (var (field, error) in errors)
        {
            ModelState.AddModelError(field, text[error]);
        }

        return errors.Count == 0;
    }
}
