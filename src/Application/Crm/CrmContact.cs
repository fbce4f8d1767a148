using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.Application.Crm;

/// <summary>
/// What one push sends: the contact as it is now (details, current consent, merges), never an old
/// copy from the sign-up, so a retried older job cannot overwrite newer consent. Built by the push
/// handler from the contact's read model just before the call; never stored or logged.
/// </summary>
/// <param name="DeliveryId">The same on every retry of one push, so receivers can drop duplicates (the webhook's <c>webhook-id</c>).</param>
/// <param name="SignUpId">The sign-up whose push this is.</param>
/// <param name="ContactId">The contact that holds the shopper now.</param>
/// <param name="RecordId">The CRM's id of this contact from an earlier push to this connection, when known.</param>
/// <param name="FilledAt">When the shopper tapped "Sign up" on the tablet.</param>
/// <param name="Late">The sign-up came late from a tablet's offline queue, so a welcome flow may skip it.</param>
/// <param name="Merged">Contacts found to be this shopper whose CRM records should become this one's.</param>
public sealed record CrmContact(
    string DeliveryId,
    Guid SignUpId,
    Guid ContactId,
    string? RecordId,
    string? Email,
    string? Phone,
    string? FirstName,
    string? LastName,
    Birthday? Birthday,
    string? PostalCode,
    string Language,
    string? StoreName,
    CrmConsent EmailConsent,
    CrmConsent SmsConsent,
    IReadOnlyList<CrmAnswer> Answers,
    DateTimeOffset FilledAt,
    DateTimeOffset ReceivedAt,
    bool Late,
    SignUpSource Source,
    IReadOnlyList<CrmMergedContact> Merged)
{
    /// <summary>The value of one of our fields (<see cref="CrmSources"/>), as text; null when the shopper left it empty.</summary>
    public string? ValueOf(string source) => source switch
    {
        CrmSources.FirstName => FirstName,
        CrmSources.LastName => LastName,
        CrmSources.Phone => Phone,
        CrmSources.Birthday => Birthday is { } b ? b.Year is { } y ? $"{y:D4}-{b.Month:D2}-{b.Day:D2}" : $"--{b.Month:D2}-{b.Day:D2}" : null,
        CrmSources.PostalCode => PostalCode,
        CrmSources.Store => StoreName,
        CrmSources.EmailConsent => EmailConsent.IsNew ? EmailConsent.AsText() : null,
        CrmSources.SmsConsent => SmsConsent.IsNew ? SmsConsent.AsText() : null,
        _ when source.StartsWith(CrmSources.QuestionPrefix, StringComparison.Ordinal) =>
            Answers.FirstOrDefault(a => a.Key == source[CrmSources.QuestionPrefix.Length..]) is { Values.Count: > 0 } answer ? string.Join(';', answer.Values) : null,
        _ => null,
    };

    /// <summary>Ids only: a contact printed by mistake shows nobody's details.</summary>
    public override string ToString() => $"CrmContact {{ SignUpId = {SignUpId}, ContactId = {ContactId}, DeliveryId = {DeliveryId} }}";
}

/// <summary>
/// One consent channel as the contact holds it now. <see cref="Given"/>: a consent is current (the
/// shopper ticked the box and has not withdrawn since). <see cref="WithdrawnAt"/>: the shopper
/// withdrew it (and has not given it again). Neither: never given.
/// <see cref="IsNew"/>: this consent (the giving or the withdrawal) is a new act of the shopper, recorded
/// since the last successful push of the contact to this connection (or the contact was never pushed
/// there), so the push sends it as a subscription change. False: the CRM was told already, and its own
/// subscription status, which the shopper may have changed there since (an unsubscribe link), is left
/// alone; the push updates details only. Decided per push by the pipeline (<see cref="Mark"/>), so
/// every connector follows the same rule.
/// </summary>
public sealed record CrmConsent(bool Given, DateTimeOffset? GivenAt, string? Text, string? TextVersion, DateTimeOffset? WithdrawnAt, bool IsNew = true)
{
    /// <summary>
    /// Given, told to the CRM already, but not with the connection's current list (the retailer switched lists): the shopper is
    /// added to that list without a subscription change (<c>CrmConsentRule</c>, ADR 19). Never with <see cref="IsNew"/>.
    /// </summary>
    public bool JoinsList { get; init; }

    public static readonly CrmConsent None = new(false, null, null, null, null);

    /// <summary>"true" while given, "false" once withdrawn, null when never given (so a push does not overwrite what the CRM learnt elsewhere).</summary>
    public string? AsText() => Given ? "true" : WithdrawnAt is not null ? "false" : null;

    /// <summary>A subscription change to send: a new act of giving or withdrawing. Never given, or told already: none.</summary>
    public bool SendsChange => IsNew && (Given || WithdrawnAt is not null);

    /// <summary>
    /// Which act this consent is, as stored with a successful push (<c>SignUpPushedToCrm</c>): "none",
    /// "given:{ticks}" or "withdrawn:{ticks}" of the server's time of record. Two pushes with the same mark
    /// carried the same act; a new sign-up with consent or a withdrawal makes a new one.
    /// </summary>
    public string Mark => Given && GivenAt is { } given ? $"given:{given.UtcTicks}"
        : WithdrawnAt is { } withdrawn ? $"withdrawn:{withdrawn.UtcTicks}"
        : Given ? "given" : "none";

    /// <summary>When this act was recorded (null: never given), for pushes stored before marks were.</summary>
    public DateTimeOffset? ActAt => Given ? GivenAt : WithdrawnAt;

    public static CrmConsent Of(ConsentProof? current, DateTimeOffset? withdrawnAt) =>
        current is not null ? new(true, current.GivenAt, current.Text, current.TextVersion, null) : None with { WithdrawnAt = withdrawnAt };
}

/// <summary>An answer to one of the store's own questions: its key, its label in the shopper's language, and the chosen values.</summary>
public sealed record CrmAnswer(string Key, string Label, IReadOnlyList<string> Values);

/// <summary>A contact merged into the pushed one: its email (what HubSpot and the others key by) and its CRM record id, if it was pushed.</summary>
public sealed record CrmMergedContact(Guid ContactId, string? Email, string? RecordId);

/// <summary>Fold <see cref="Absorbed"/> into <see cref="Survivor"/> in the CRM.</summary>
public sealed record CrmMerge(CrmContact Survivor, IReadOnlyList<CrmMergedContact> Absorbed);

/// <summary>Erase the shopper with this email (and record id, when known) in the CRM.</summary>
public sealed record CrmErasure(Guid ContactId, string? Email, string? Phone, string? RecordId)
{
    public override string ToString() => $"CrmErasure {{ ContactId = {ContactId} }}";
}
