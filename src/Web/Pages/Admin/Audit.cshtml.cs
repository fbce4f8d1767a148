using CustomerInfo.Application.Audit;
using CustomerInfo.Application.Audit.ListAuditLog;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerInfo.Web.Pages.Admin;

/// <summary>The Owner's audit log (issue 14 §5): who did what, when and from where, filtered by a GET form.</summary>
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class AuditModel(ISender sender) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "person")]
    public string? Person { get; set; }

    [BindProperty(SupportsGet = true, Name = "action")]
    public string? Action { get; set; }

    [BindProperty(SupportsGet = true, Name = "from")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    public string? To { get; set; }

    /// <summary>The opaque cursor of the page to show (the "before" of the address).</summary>
    [BindProperty(SupportsGet = true, Name = "before")]
    public string? Before { get; set; }

    public AuditLogPage? Log { get; private set; }

    public static IReadOnlyList<AuditCategory> Categories { get; } = Enum.GetValues<AuditCategory>();

    public bool Filtered => new[] { Person, Action, From, To }.Any(v => !string.IsNullOrEmpty(v));

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Log = await sender.Send(new ListAuditLogQuery(Empty(Person), Empty(Action), Empty(From), Empty(To), Empty(Before)), cancellationToken);

    public string? OlderLink => Log?.Older is { } older ? Address(older) : null;

    public string NewestLink => Address(null);

    private string Address(string? before) =>
        "/admin/audit" + QueryString.Create(new Dictionary<string, string?> { ["person"] = Person, ["action"] = Action, ["from"] = From, ["to"] = To, ["before"] = before }
            .Where(p => !string.IsNullOrEmpty(p.Value)));

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
