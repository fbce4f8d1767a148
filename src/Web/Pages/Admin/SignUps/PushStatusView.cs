using CustomerInfo.Application.SignUps.ListSignUps;

namespace CustomerInfo.Web.Pages.Admin.SignUps;

/// <summary>
/// How a sign-up's push status is shown: a tag whose words say it (colour only repeats them), with
/// "not connected" instead of "waiting" while the store has no active CRM connection.
/// </summary>
public static class PushStatusView
{
    /// <summary>The SignUpsText key of the tag's words.</summary>
    public static string TextKey(CrmPushStatus status, bool connected) =>
        status == CrmPushStatus.Waiting && !connected ? "Push_NotConnected" : "Push_" + status;

    /// <summary>The badge class: existing colours, each with at least 4.5:1 contrast for its text.</summary>
    public static string CssClass(CrmPushStatus status, bool connected) => status switch
    {
        CrmPushStatus.Pushed => "badge-active",
        CrmPushStatus.Retrying => "badge-pastdue",
        CrmPushStatus.Failed => "badge-suspended",
        CrmPushStatus.Waiting when connected => "badge-todo",
        _ => "badge-soon",
    };

    /// <summary>The statuses the list's filter offers, in the order a retailer thinks of them.</summary>
    public static readonly IReadOnlyList<CrmPushStatus> FilterOrder =
        [CrmPushStatus.Failed, CrmPushStatus.Retrying, CrmPushStatus.Waiting, CrmPushStatus.Pushed, CrmPushStatus.NotSent];
}
