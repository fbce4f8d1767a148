using CustomerInfo.Application.SignUps.ExportSignUps;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Stores;

namespace CustomerInfo.UnitTests.Application.SignUps;

public class ExportWordingTests
{
    private static readonly Guid London = Guid.NewGuid();

    private static readonly CustomQuestion Heard = new("heard", QuestionKind.MultipleChoice, FieldRequirement.Optional, Text("How did you hear of us?", "Hoe hoorde je van ons?"),
        [new("friend", Text("From a friend", "Van een vriend")), new("ad", Text("An advert", "Een advertentie"))]);

    private static readonly CustomQuestion Notes = new("notes", QuestionKind.ShortText, FieldRequirement.Optional, Text("Anything we should know?", "Moeten we iets weten?"), []);

    private static readonly TimeZoneInfo Amsterdam = StoreTimeZones.Find("Europe/Amsterdam");

    private static readonly DateTimeOffset June = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_sign_up_in_a_store_is_worded_in_the_stores_name_and_time_zone_with_its_answers_in_the_forms_order()
    {
        var wording = Wording([Heard, Notes], "nl");
        var signUp = new SignUpSummary
        {
            Id = Guid.NewGuid(),
            ReceivedAt = June,
            FirstName = "Ann",
            LastName = "de Vries",
            Email = "ann@example.com",
            Phone = "+31612345678",
            Birthday = new Birthday(14, 3, 1990),
            PostalCode = "1012 AB",
            Answers = [new("notes", ["Allergic to nuts"]), new("heard", ["friend", "ad"])],
            EmailConsent = true,
            StoreId = London,
            CrmStatus = CrmPushStatus.Pushed,
            CrmRecordId = "hs-1234",
        };

        var row = wording.Row(signUp);

        row.ShouldBe(new SignUpExportRow(
            "Ann", "de Vries", "ann@example.com", "+31612345678", "1990-03-14", "1012 AB", row.Answers, true, false, "London", "2026-06-01 09:00", "Europe/London", CrmPushStatus.Pushed, "hs-1234"));
        row.Answers.ShouldBe(["Van een vriend; Een advertentie", "Allergic to nuts"]);
    }

    [Fact]
    public void A_sign_up_without_a_known_store_is_in_the_tenants_time_zone_with_empty_cells_for_unanswered_questions()
    {
        var wording = Wording([Heard, Notes], "en");
        var signUp = new SignUpSummary { Id = Guid.NewGuid(), ReceivedAt = June, Birthday = new Birthday(2, 3, null), StoreId = Guid.NewGuid(), CrmStatus = CrmPushStatus.Failed, CrmRecordId = "hs-old" };

        var row = wording.Row(signUp);

        (row.Store, row.ReceivedAt, row.TimeZone, row.Birthday).ShouldBe((null, "2026-06-01 10:00", "Europe/Amsterdam", "--03-02"));
        row.Answers.ShouldBe(["", ""]);
        row.CrmRecordId.ShouldBeNull("a record id is shown only while the sign-up stands pushed");
    }

    [Fact]
    public void A_form_without_questions_gives_rows_without_answer_cells()
    {
        var row = Wording([], "en").Row(new SignUpSummary { Id = Guid.NewGuid(), ReceivedAt = June, Answers = [new("gone", ["x"])] });

        row.Answers.ShouldBeEmpty();
        (row.FirstName, row.Birthday, row.Store).ShouldBe((null, null, null));
    }

    private static ExportWording Wording(IReadOnlyList<CustomQuestion> questions, string language) =>
        new(questions, [new RetailStore { Id = London, Name = "London", TimeZone = "Europe/London" }], Amsterdam, language);

    private static LocalizedText Text(string english, string dutch) => new(new Dictionary<string, string> { ["en"] = english, ["nl"] = dutch });
}
