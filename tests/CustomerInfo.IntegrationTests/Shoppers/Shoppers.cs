using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.TestSupport;

namespace CustomerInfo.IntegrationTests.Shoppers;

/// <summary>
/// The shoppers of the export and erasure tests, with details distinctive enough that a search of
/// the whole database for them finds nothing else, on a form that asks for everything.
/// </summary>
internal static class Shoppers
{
    public const string Email = "quintessa.vandermolen@example.com";
    public const string Phone = "+31612345678";
    public const string FirstName = "Quintessa";
    public const string LastName = "Vandermolen";
    public const string Note = "Call Quintessa after six";
    public const string PostalCode = "9711 QZ";

    public const string OtherEmail = "bartholomeus.ouwehand@example.com";
    public const string OtherFirstName = "Bartholomeus";

    /// <summary>Everything a search must not find once Quintessa is erased (her phone as stored and as typed).</summary>
    public static readonly string[] Traces = [Email, Phone, "0612345678", FirstName, LastName, Note, PostalCode];

    public static readonly FormDefinition Form = FormDefinition.StarterFor("Erasure Test Store") with
    {
        Fields =
        [
            new(BuiltInField.FirstName, FieldRequirement.Required), new(BuiltInField.LastName, FieldRequirement.Optional),
            new(BuiltInField.Email, FieldRequirement.Optional), new(BuiltInField.Phone, FieldRequirement.Optional),
            new(BuiltInField.Birthday, FieldRequirement.Optional), new(BuiltInField.PostalCode, FieldRequirement.Optional),
        ],
        Questions =
        [
            new("heard", QuestionKind.SingleChoice, FieldRequirement.Optional, new(new Dictionary<string, string> { ["en"] = "How did you hear of us?", ["nl"] = "Hoe hoorde je van ons?" }),
                [new("friend", new(new Dictionary<string, string> { ["en"] = "From a friend", ["nl"] = "Van een vriend" })), new("ad", new(new Dictionary<string, string> { ["en"] = "An advert", ["nl"] = "Een advertentie" }))]),
            new("note", QuestionKind.ShortText, FieldRequirement.Optional, new(new Dictionary<string, string> { ["en"] = "Anything we should know?", ["nl"] = "Moeten we iets weten?" }), []),
        ],
    };

    public static async Task<Guid> AddStoreAsync(this AppFactory app, string store)
    {
        var id = await app.AddStoreAsync(store, store + " store");
        await app.SendAsync(store, new PublishFormDefinitionCommand(Form));
        return id;
    }

    public static SubmitSignUpCommand Quintessa(string? email = Email, string? phone = "06 12345678", bool answers = true) => new()
    {
        SubmissionId = Guid.NewGuid(),
        Language = "en",
        FirstName = FirstName,
        LastName = LastName,
        Email = email,
        Phone = phone,
        BirthdayDay = 14,
        BirthdayMonth = 3,
        BirthdayYear = 1990,
        PostalCode = PostalCode,
        EmailConsent = email is not null,
        SmsConsent = phone is not null,
        Answers = answers ? new() { ["heard"] = ["friend"], ["note"] = [Note] } : new(),
    };

    public static SubmitSignUpCommand Bartholomeus() => new()
    {
        SubmissionId = Guid.NewGuid(),
        FirstName = OtherFirstName,
        Email = OtherEmail,
        EmailConsent = true,
    };
}
