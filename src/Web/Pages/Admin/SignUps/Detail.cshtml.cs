using System.Globalization;
using CustomerInfo.Application.Crm;
using CustomerInfo.Application.Crm.Retry;
using CustomerInfo.Application.SignUps.GetSignUp;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Web.Abuse;
using CustomerInfo.Web.Resources;
using CustomerInfo.Web.Security;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CustomerInfo.Web.Pages.Admin.SignUps;

/// <summary>
/// One sign-up (Staff and up): what the shopper gave, their consent, where, its push to the CRM and
/// its history. Another store's id: 404. A Manager can push a failed one again ("Retry push").
/// </summary>
[RequestBodyLimit(RequestBodyLimitAttribute.OwnerFormBytes)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class DetailModel(ISender sender, IStringLocalizer<SignUpsText> text, IStringLocalizer<CrmText> crmText) : PageModel
{
    public SignUpDetail SignUp { get; private set; } = null!;

    /// <summary>What the last retry did, said once after its redirect.</summary>
    [TempData]
    public string? Done { get; set; }

    /// <summary>A Manager (or Owner) looks at a sign-up whose push failed, or is still being retried.</summary>
    public bool CanRetry =>
        !SignUp.Erased && CrmRetry.CanRetry(SignUp.Summary.CrmStatus) && SignUp.CrmConnected
        && TeamRoles.TryParse(User.FindFirst(MemberAuthentication.RoleClaim)?.Value, out var role) && role.Grants(TeamRole.Manager);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await sender.Send(new GetSignUpQuery(id), cancellationToken) is not { } signUp)
        {
            return NotFound();
        }

        SignUp = signUp;
        return Page();
    }

    public async Task<IActionResult> OnPostRetryAsync(Guid id, CancellationToken cancellationToken)
    {
        var outcome = await sender.Send(new RetryCrmPushCommand(id), cancellationToken);
        if (outcome == RetryCrmPushOutcome.NotFound)
        {
            return NotFound();
        }

        Done = text["Retry_" + outcome];
        return RedirectToPage(new { id });
    }

    public string Local(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, SignUp.TimeZone).ToString("d MMM yyyy HH:mm", CultureInfo.CurrentCulture);

    /// <summary>The CRM's name in the page's language (the webhook's is translated; product names are not).</summary>
    private string? CrmName(CrmPushEntry push) =>
        push.Kind is { } kind && crmText["Kind_" + kind] is { ResourceNotFound: false } name ? name.Value : push.Crm;

    /// <summary>A failed attempt's reason in the page's language (the CRM's own words quoted as they came).</summary>
    private static string? Reason(CrmPushEntry push) => CrmProblemText.Show(push.Reason, push.Problem, CultureInfo.CurrentUICulture);

    /// <summary>One line of the timeline in the page's language.</summary>
    public string Describe(SignUpHistoryEntry entry)
    {
        var culture = CultureInfo.CurrentCulture;
        return entry switch
        {
            { Kind: SignUpHistoryKind.LinkedToContact, NewContact: true } => text["History_LinkedToContact_New"],
            { Kind: SignUpHistoryKind.PushedToCrm, Crm: { } push } => (push.RecordId is { } record
                ? string.Format(culture, text["History_PushedToCrm_Record"], CrmName(push), record, push.Attempt)
                : string.Format(culture, text["History_PushedToCrm"], CrmName(push), push.Attempt))
                + (push.EmailOptedOut ? "; " + string.Format(culture, text["PushOptedOut"], CrmName(push)) : string.Empty),
            { Kind: SignUpHistoryKind.CrmPushFailed, Crm: { } push } => push.NextAttemptAt is { } next
                ? string.Format(culture, text["History_CrmPushFailed_Retrying"], CrmName(push), push.Attempt, Reason(push), Local(next))
                : string.Format(culture, text["History_CrmPushFailed"], CrmName(push), push.Attempt, Reason(push)),
            { Kind: SignUpHistoryKind.QueuedForCrm, Crm: { Why: { } why } } => text["History_QueuedForCrm_" + why],
            _ => text["History_" + entry.Kind],
        };
    }
}
