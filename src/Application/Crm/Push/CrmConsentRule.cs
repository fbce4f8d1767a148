namespace CustomerInfo.Application.Crm.Push;

/// <summary>The last successful push of one of a contact's sign-ups to one connection, as the consent rule needs it.</summary>
/// <param name="At">When it was recorded.</param>
/// <param name="EmailConsentSent">The email consent act it carried (<see cref="CrmConsent.Mark"/>); null on pushes stored before marks were.</param>
/// <param name="SmsConsentSent">The same for text messages.</param>
/// <param name="ListId">The connection's list at that push (<c>SignUpPushedToCrm.ListId</c>); null when it had none, or before 2026-12-03.</param>
public sealed record CrmLastPush(DateTimeOffset At, string? EmailConsentSent, string? SmsConsentSent, string? ListId = null);

/// <summary>
/// Whether a push sends consent as a subscription change (issue 12, "a later push must not re-subscribe a
/// shopper who unsubscribed in the CRM"). Only a new act of the shopper does: a sign-up with consent, or a
/// withdrawal, recorded in our system since the contact's last successful push to this connection. Any
/// other push (a merge, a retry, new details, the history sent again) updates details and leaves the CRM's
/// subscription status alone, since the shopper may have unsubscribed there. Decided here, once per push,
/// so every connector follows the same rule (<see cref="CrmConsent.IsNew"/>).
/// </summary>
public static class CrmConsentRule
{
    /// <summary>
    /// <paramref name="now"/> with <see cref="CrmConsent.IsNew"/> set: true unless one of the contact's successful pushes to
    /// this connection (<paramref name="pushes"/>, the last of each of its sign-ups) carried this very act. Acts only move
    /// forward (a consent is current only when given after the last withdrawal), so a carried mark means the CRM was told,
    /// whichever sign-up's push carried it and in whatever order the pushes were recorded. A push stored before marks were
    /// (its mark null) counts as having carried every act recorded up to its time.
    /// </summary>
    public static CrmConsent Decide(CrmConsent now, IEnumerable<CrmLastPush> pushes, Func<CrmLastPush, string?> markOf) =>
        Decide(now, pushes, markOf, list: null);

    /// <summary>
    /// As the other, and for a connection whose list is <paramref name="list"/>: a consent given and told to the CRM, but only
    /// with another list (the retailer switched lists since; or before 2026-12-03, when pushes did not record their list) is
    /// <see cref="CrmConsent.JoinsList"/>: the shopper joins the list the retailer uses now, without a subscription change (a
    /// shopper who unsubscribed in the CRM meanwhile stays unsubscribed). A withdrawn consent never joins a list.
    /// </summary>
    public static CrmConsent Decide(CrmConsent now, IEnumerable<CrmLastPush> pushes, Func<CrmLastPush, string?> markOf, string? list)
    {
        var carried = pushes.Where(p => markOf(p) is { } mark ? string.Equals(mark, now.Mark, StringComparison.Ordinal) : now.ActAt is not { } at || at <= p.At).ToList();
        var isNew = carried.Count == 0;
        var joins = !isNew && now.Given && list is not null && !carried.Any(p => string.Equals(p.ListId, list, StringComparison.Ordinal));
        return now with { IsNew = isNew, JoinsList = joins };
    }
}
