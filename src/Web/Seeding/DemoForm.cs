using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.Web.Seeding;

/// <summary>The demo store's form: every kind of field and question, in English and Dutch.</summary>
public static class DemoForm
{
    private static LocalizedText Text(string english, string dutch) =>
        new(new Dictionary<string, string> { ["en"] = english, ["nl"] = dutch });

    public static FormDefinition Definition { get; } = FormDefinition.StarterFor("Demo Store") with
    {
        Country = "NL",
        Fields =
        [
            new(BuiltInField.FirstName, FieldRequirement.Required),
            new(BuiltInField.LastName, FieldRequirement.Optional),
            new(BuiltInField.Email, FieldRequirement.Required),
            new(BuiltInField.Phone, FieldRequirement.Optional),
            new(BuiltInField.Birthday, FieldRequirement.Optional),
            new(BuiltInField.PostalCode, FieldRequirement.Optional),
        ],
        Questions =
        [
            new("favourite-shop", QuestionKind.SingleChoice, FieldRequirement.Optional, Text("Which shop do you visit most?", "Welke winkel bezoek je het vaakst?"),
            [
                new("centre", Text("City centre", "Centrum")),
                new("station", Text("Station", "Station")),
                new("online", Text("Online", "Online")),
            ]),
            new("interests", QuestionKind.MultipleChoice, FieldRequirement.Optional, Text("What are you interested in?", "Waar ben je in geïnteresseerd?"),
            [
                new("women", Text("Women", "Dames")),
                new("men", Text("Men", "Heren")),
                new("kids", Text("Kids", "Kinderen")),
                new("home", Text("Home", "Wonen")),
            ]),
            new("member-card", QuestionKind.YesNo, FieldRequirement.Optional, Text("Do you have a member card?", "Heb je een klantenpas?"), []),
            new("heard-from", QuestionKind.ShortText, FieldRequirement.Optional, Text("How did you hear about us?", "Hoe heb je over ons gehoord?"), []),
        ],
    };

    /// <summary>The demo's shops, made as stores (each with a kiosk link) by the development seed.</summary>
    public static IReadOnlyList<(string Name, string Address)> Stores { get; } =
    [
        ("Demo Store City Centre", "Grote Markt 1, 9711 LV Groningen"),
        ("Demo Store Station", "Stationsplein 4, 9726 AE Groningen"),
    ];

    /// <summary>The form as it was before stores existed, its shops as form locations: for tests of the old data and its migration.</summary>
    public static FormDefinition WithLegacyLocations { get; } = Definition with
    {
        Locations =
        [
            new("centre", "Demo Store City Centre"),
            new("station", "Demo Store Station"),
        ],
    };
}
