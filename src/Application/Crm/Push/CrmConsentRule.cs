namespace CustomerInfo.Application.Crm.Push;

/// <summary>The last successful push of one of a contact's sign-ups to one connection, as the consent rule needs it.</summary>
/// <param name="At">When it was recorded.</param>
/// <param name="EmailConsentSent">The email consent act it carried (<see cref="CrmConsent.Mark"/>); null on pushes stored before marks were.</param>
/// <param name="SmsConsentSent">The same for text messages.</param>
public sealed record CrmLastPush(DateTimeOffset At, string? EmailConsentSent, string? SmsConsentSent);

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
    public static CrmConsent Decide(CrmConsent now, IEnumerable<CrmLastPush> pushes, Func<CrmLastPush, string?> markOf)
    {
        var told = pushes.Any(p => markOf(p) is { } mark ? string.Equals(mark, now.Mark, StringComparison.Ordinal) : now.ActAt is not { } at || at <= p.At);
        return now with { IsNew = !told };
    }
}
