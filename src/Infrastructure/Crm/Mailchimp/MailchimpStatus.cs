using CustomerInfo.Application.Crm;

namespace CustomerInfo.Infrastructure.Crm.Mailchimp;

/// <summary>
/// What a member PUT sends as <c>status</c> and <c>status_if_new</c>. Mailchimp applies
/// <c>status_if_new</c> only when it creates the member, and <c>status</c> to anyone; its list's
/// double opt-in setting changes nothing by itself (shared/data/crm/README.md, observed), so the
/// confirmation mail happens only when we send <c>pending</c>.
/// </summary>
/// <param name="Status">Sent for an existing member, or null to leave the member's status as it is.</param>
/// <param name="StatusIfNew">Used only if Mailchimp has no member with this address yet.</param>
internal sealed record MailchimpStatusChange(string? Status, string StatusIfNew);

internal static class MailchimpStatus
{
    public const string Subscribed = "subscribed";
    public const string Unsubscribed = "unsubscribed";
    public const string Cleaned = "cleaned";
    public const string Pending = "pending";
    public const string Transactional = "transactional";
    public const string Archived = "archived";

    /// <summary>
    /// From the contact's current email consent, the member's status in Mailchimp now
    /// (<paramref name="existing"/>, null when there is none) and the list's double opt-in:
    /// <list type="bullet">
    /// <item>Consent given: a new member is <c>subscribed</c>, or <c>pending</c> on a double opt-in list. A member
    /// who unsubscribed, bounced (cleaned) or was archived becomes <c>pending</c> (Mailchimp's confirmation mail), never
    /// <c>subscribed</c>: Mailchimp refuses that, and the shopper's earlier "no" deserves a confirmation. A non-subscribed
    /// (transactional) member is subscribed like a new one; subscribed and pending members stay as they are.</item>
    /// <item>Consent withdrawn: <c>unsubscribed</c>, new or not (a new one is stored as opted out).</item>
    /// <item>Never given: a new member is <c>transactional</c> (in the audience, no marketing); an existing member keeps
    /// its status, since a sign-up without the box ticked is no withdrawal of a subscription made elsewhere.</item>
    /// </list>
    /// All of this only for a new act of the shopper (<see cref="CrmConsent.IsNew"/>). Otherwise an existing member's
    /// status is left as Mailchimp has it (the shopper may have unsubscribed there since our last push) and only
    /// <c>status_if_new</c> follows the consent, for an address the audience does not have.
    /// </summary>
    public static MailchimpStatusChange Decide(CrmConsent consent, string? existing, bool doubleOptIn)
    {
        var change = DecideAct(consent, existing, doubleOptIn);
        return consent.IsNew ? change : change with { Status = null };
    }

    private static MailchimpStatusChange DecideAct(CrmConsent consent, string? existing, bool doubleOptIn)
    {
        if (consent.Given)
        {
            var optIn = doubleOptIn ? Pending : Subscribed;
            return existing switch
            {
                null or Transactional => new(existing is null ? null : optIn, optIn),
                Unsubscribed or Cleaned or Archived => new(Pending, optIn),
                _ => new(null, optIn),
            };
        }

        if (consent.WithdrawnAt is not null)
        {
            return existing is null or Unsubscribed or Cleaned ? new(null, Unsubscribed) : new(Unsubscribed, Unsubscribed);
        }

        return new(null, Transactional);
    }
}
