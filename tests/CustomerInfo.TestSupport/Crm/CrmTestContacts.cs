using CustomerInfo.Application.Crm;
using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.TestSupport.Crm;

/// <summary>Contacts and targets as the push pipeline hands them to a connector, for connector tests.</summary>
public static class CrmTestContacts
{
    public static readonly DateTimeOffset At = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    public static CrmConsent Given => new(true, At, "Yes, send me news", "v1", null);

    public static CrmConsent Withdrawn => new(false, null, null, null, At.AddDays(1));

    public static CrmContact Contact(
        string? email,
        string? firstName = "Ann",
        string? lastName = "Peeters",
        string? phone = "+32470123456",
        string? postalCode = "9000",
        Birthday? birthday = null,
        CrmConsent? emailConsent = null,
        CrmConsent? smsConsent = null,
        IReadOnlyList<CrmAnswer>? answers = null,
        string? recordId = null,
        IReadOnlyList<CrmMergedContact>? merged = null) => new(
            DeliveryId: "del_" + Guid.NewGuid().ToString("N"),
            SignUpId: Guid.NewGuid(),
            ContactId: Guid.NewGuid(),
            RecordId: recordId,
            Email: email,
            Phone: phone,
            FirstName: firstName,
            LastName: lastName,
            Birthday: birthday,
            PostalCode: postalCode,
            Language: "nl",
            StoreName: "Gent",
            EmailConsent: emailConsent ?? CrmConsent.None,
            SmsConsent: smsConsent ?? CrmConsent.None,
            Answers: answers ?? [],
            FilledAt: At,
            ReceivedAt: At,
            Late: false,
            Source: SignUpSource.Kiosk,
            Merged: merged ?? []);

    public static CrmTarget Target(IReadOnlyDictionary<string, string> settings, params CrmFieldMapping[] mapping) =>
        new(Guid.NewGuid(), Guid.NewGuid(), settings, mapping);
}
