using CustomerInfo.Application.Contacts;
using CustomerInfo.Application.Contacts.ListContacts;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerInfo.Web.Pages.Admin.Contacts;

/// <summary>The store's contacts, newest sign-up first, searchable by email, phone or the start of a name.</summary>
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class IndexModel(ISender sender) : PageModel
{
    /// <summary>What was searched for (the "q" of the address); a bad one comes back as a message, from the validator.</summary>
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    /// <summary>The opaque cursor of the page to show (the "after" of the address).</summary>
    [BindProperty(SupportsGet = true, Name = "after")]
    public string? After { get; set; }

    public ContactPage Contacts { get; private set; } = new([], null, ContactSearchKind.None);

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Contacts = await sender.Send(new ListContactsQuery(Search, After), cancellationToken);

    public string NextPage => Address(Search, Contacts.Next);

    public string FirstPage => Address(Search, null);

    private static string Address(string? search, string? after) =>
        "/admin/contacts" + QueryString.Create(new Dictionary<string, string?> { ["q"] = search, ["after"] = after }.Where(p => !string.IsNullOrWhiteSpace(p.Value)));
}
