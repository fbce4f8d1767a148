using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Crm.Retry;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Stores;
using CustomerInfo.Web.Abuse;
using CustomerInfo.Web.Resources;
using CustomerInfo.Web.Security;
using CustomerInfo.Web.Validation;
using Mediator;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;

namespace CustomerInfo.Web.Pages.Admin.SignUps;

/// <summary>
/// The sign-ups, newest first, filtered and searched, a page at a time (Staff and up). The filter
/// stands in the query string; the search is posted and comes back as an opaque token, so no
/// shopper's address or name is ever part of a URL (<see cref="SignUpLinks"/>).
/// </summary>
[RequestBodyLimit(RequestBodyLimitAttribute.SignUpFormBytes)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class IndexModel(ISender sender, ITenantContext tenant, IDataProtectionProvider protection, IStringLocalizer<SignUpsText> text) : SignUpFilterPage
{
    public const int PageSize = 50;

    /// <summary>The search text shown back in the box (read from the posted form or the link's token).</summary>
    public string? Search { get; private set; }

    public SignUpPage? Results { get; private set; }

    public IReadOnlyList<RetailStore> Stores { get; private set; } = [];

    /// <summary>Said above the list: a link that could not be read, and what is shown instead.</summary>
    public List<string> Notices { get; } = [];

    public bool Filtered { get; private set; }

    public bool Paged { get; private set; }

    public string? OlderLink { get; private set; }

    public string NewestLink { get; private set; } = "/admin/signups";

    public string? ExportLink { get; private set; }

    public bool CanExport => TeamRoles.TryParse(User.FindFirst(MemberAuthentication.RoleClaim)?.Value, out var role) && role.Grants(TeamRole.Manager);

    /// <summary>Managers and Owners may send failed pushes again.</summary>
    public bool CanRetry => CanExport;

    /// <summary>What the last retry did, said once after its redirect.</summary>
    [TempData]
    public string? Done { get; set; }

    private Guid TenantId => tenant.RequiredTenant.Id;

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        // A posted search is answered with a redirect: no page, so no stores to offer.
        if ((await next()).Result is RedirectResult)
        {
            return;
        }

        // A filter that could not be read shows no list, but its form still offers the stores.
        Stores = Results?.Stores ?? (await sender.Send(new ListSignUpsQuery(PageSize: 1), HttpContext.RequestAborted)).Stores;
    }

    [ValidationErrorsFor("")]
    public async Task<IActionResult> OnGetAsync(string? s, string? after, CancellationToken cancellationToken)
    {
        if (s is not null)
        {
            Search = SignUpLinks.ReadSearch(protection, TenantId, s);
            if (Search is null)
            {
                Notices.Add(text["SearchLinkInvalid"]);
            }
        }

        if (!TryRead(Search, out var filter))
        {
            return Page();
        }

        SignUpCursor? cursor = null;
        if (after is not null)
        {
            cursor = SignUpLinks.ReadCursor(protection, TenantId, after, filter);
            if (cursor is null)
            {
                Notices.Add(text["PageLinkInvalid"]);
            }
        }

        Results = await sender.Send(new ListSignUpsQuery(cursor, PageSize, filter), cancellationToken);
        Paged = cursor is not null;
        Links(filter, s is not null && Search is not null ? s : null);
        return Page();
    }

    /// <summary>The search form: checked here (the list is sent, so a search too long is told on this page), then shown by a link.</summary>
    [ValidationErrorsFor("")]
    public async Task<IActionResult> OnPostAsync(string? q, CancellationToken cancellationToken)
    {
        Search = q;
        if (!TryRead(q, out var filter))
        {
            return Page();
        }

        await sender.Send(new ListSignUpsQuery(PageSize: 1, Filter: filter), cancellationToken);
        return Redirect(Link("/admin/signups", filter, SearchToken(filter), after: null));
    }

    /// <summary>"Retry all failed": one job queues every failed sign-up again; back to the list.</summary>
    public async Task<IActionResult> OnPostRetryAllAsync(CancellationToken cancellationToken)
    {
        Done = await sender.Send(new RetryFailedCrmPushesCommand(), cancellationToken) switch
        {
            RetryFailedCrmPushesOutcome.Queued => text["RetryAllQueued"],
            RetryFailedCrmPushesOutcome.NotConnected => text["RetryNotConnected"],
            _ => text["RetryAllNoneFailed"],
        };
        return Redirect("/admin/signups");
    }

    private bool TryRead(string? search, out SignUpFilter filter)
    {
        var read = TryReadFilter(search, text, out filter);
        Filtered = filter != SignUpFilter.None;
        return read;
    }

    private string? SearchToken(SignUpFilter filter) =>
        filter.HasSearch ? SignUpLinks.ProtectSearch(protection, TenantId, filter.Search!) : null;

    private void Links(SignUpFilter filter, string? searchToken)
    {
        NewestLink = Link("/admin/signups", filter, searchToken, after: null);
        ExportLink = Link("/admin/signups/export", filter, searchToken, after: null);
        if (Results?.Next is { } next)
        {
            OlderLink = Link("/admin/signups", filter, searchToken, SignUpLinks.ProtectCursor(protection, TenantId, next, filter));
        }
    }

    private static string Link(string path, SignUpFilter filter, string? searchToken, string? after)
    {
        var query = SignUpFilterInput.Query(filter);
        query["s"] = searchToken;
        query["after"] = after;
        var given = query.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value);
        return given.Count == 0 ? path : QueryHelpers.AddQueryString(path, given);
    }
}
