using CustomerInfo.Domain.SignUps;
using CustomerInfo.Web.Pages.Admin.Form;

namespace CustomerInfo.UnitTests.Web.Pages;

public class FormEditorTests
{
    private static readonly FormDefinition Published = FormDefinition.StarterFor("Acme Shoes") with
    {
        Version = 3,
        Questions =
        [
            new("colour", QuestionKind.SingleChoice, FieldRequirement.Optional, new(new Dictionary<string, string> { ["en"] = "Colour", ["nl"] = "Kleur" }),
                [new("red", new(new Dictionary<string, string> { ["en"] = "Red" })), new("blue", new(new Dictionary<string, string> { ["en"] = "Blue" }))]),
        ],
        Branding = new() { PrimaryColor = "#aa0000", Logo = new BrandLogo("c0ffee", 120, 40) },
        Locations = [new("centre", "Centre")],
    };

    [Fact]
    public void A_definition_read_into_the_editor_and_back_is_the_same_definition()
    {
        var editor = FormEditor.From(Published, Published.Version);

        var definition = editor.ToDefinition(Published);

        System.Text.Json.JsonSerializer.Serialize(definition).ShouldBe(System.Text.Json.JsonSerializer.Serialize(Published));
        editor.BasedOn.ShouldBe(3);
    }

    [Fact]
    public void Rewording_a_published_question_keeps_its_keys_and_a_new_one_gets_keys_from_its_label()
    {
        var editor = FormEditor.From(Published, 3);
        editor.Questions[0].Label["en"] = "Your favourite colour";
        editor.Questions[0].Options[0].Label["en"] = "Crimson";
        editor.Questions.Add(new QuestionRow
        {
            Kind = "MultipleChoice",
            Requirement = "Required",
            Label = new() { ["en"] = "  ", ["nl"] = "Kleur" },
            Options = [new() { Label = new() { ["en"] = "Red" } }, new() { Label = new() { ["en"] = "Red" } }, new() { Label = new() { ["en"] = "" } }],
        });

        var definition = editor.ToDefinition(Published);

        definition.Questions.Select(q => q.Key).ShouldBe(["colour", "kleur"]);
        definition.Questions[0].Options.Select(o => o.Key).ShouldBe(["red", "blue"]);
        definition.Questions[0].Label.In("en").ShouldBe("Your favourite colour");
        definition.Questions[1].Kind.ShouldBe(QuestionKind.MultipleChoice);
        definition.Questions[1].Options.Select(o => o.Key).ShouldBe(["red", "red-2"], "the empty row is left out");
    }

    [Fact]
    public void A_new_question_named_like_a_published_one_gets_its_own_key_and_a_posted_key_that_was_never_published_is_not_kept()
    {
        var editor = FormEditor.From(Published, 3);
        editor.Questions.Add(new QuestionRow { Key = "made-up", Kind = "ShortText", Label = new() { ["en"] = "Colour" } });

        editor.ToDefinition(Published).Questions.Select(q => q.Key).ShouldBe(["colour", "colour-2"]);
    }

    [Fact]
    public void What_the_builder_does_not_edit_comes_from_the_published_form()
    {
        var editor = FormEditor.From(Published, 3);
        editor.Welcome["en"] = "Welcome!";

        var definition = editor.ToDefinition(Published with { Branding = Published.Branding with { PrimaryColor = "#00aa00" } });

        definition.Branding.PrimaryColor.ShouldBe("#00aa00");
        definition.Branding.Logo.ShouldBe(new BrandLogo("c0ffee", 120, 40));
        definition.Branding.Welcome.In("en").ShouldBe("Welcome!");
        definition.Locations.ShouldBe(Published.Locations);
    }

    [Fact]
    public void Garbage_reads_as_values_the_rules_refuse_and_unknown_fields_are_dropped_and_missing_ones_hidden()
    {
        var editor = new FormEditor
        {
            Fields = [new() { Field = "Phone", Requirement = "Required" }, new() { Field = "3", Requirement = "Required" }, new() { Field = "Phone", Requirement = "Optional" }, new() { Field = "Nope" }],
            Questions = [new() { Kind = "Bogus", Requirement = "Always", Label = new() { ["en"] = "Why?\u0000", ["xx"] = "ignored" } }],
            ThankYouSeconds = "abc",
            IdleSeconds = "-5",
            Country = "N\u0000L",
        };

        var definition = editor.ToDefinition(Published);

        definition.Fields.Select(f => f.Field).ShouldBe([BuiltInField.Phone, BuiltInField.FirstName, BuiltInField.LastName, BuiltInField.Email, BuiltInField.Birthday, BuiltInField.PostalCode]);
        definition.RequirementOf(BuiltInField.Phone).ShouldBe(FieldRequirement.Required);
        definition.RequirementOf(BuiltInField.Email).ShouldBe(FieldRequirement.Hidden);
        definition.Questions[0].ShouldSatisfyAllConditions(
            q => q.Kind.ShouldBe(QuestionKind.ShortText),
            q => q.Requirement.ShouldBe(FieldRequirement.Optional),
            q => q.Label.Values.Keys.ShouldBe(["en"]),
            q => q.Label.In("en").ShouldBe("Why?"));
        (definition.ThankYouSeconds, definition.IdleSeconds).ShouldBe((-1, -1));
        definition.Country.ShouldBe("NL");
    }

    [Theory]
    [InlineData("field-down:0", BuiltInField.LastName, BuiltInField.FirstName)]
    [InlineData("field-up:1", BuiltInField.LastName, BuiltInField.FirstName)]
    [InlineData("field-up:0", BuiltInField.FirstName, BuiltInField.LastName)]
    [InlineData("field-down:99", BuiltInField.FirstName, BuiltInField.LastName)]
    [InlineData("nonsense:1:2:3", BuiltInField.FirstName, BuiltInField.LastName)]
    public void Move_buttons_swap_neighbours_and_anything_else_changes_nothing(string action, BuiltInField first, BuiltInField second)
    {
        var editor = FormEditor.From(Published, 3);
        editor.Action = action;

        var fields = editor.Apply().ToDefinition(Published).Fields;

        fields.Take(2).Select(f => f.Field).ShouldBe([first, second]);
    }

    [Fact]
    public void Questions_are_added_moved_and_removed_and_options_removed()
    {
        var editor = FormEditor.From(Published, 3);
        editor.Action = "add-question";
        editor.Apply();
        editor.Questions[1].Label["en"] = "Size";
        editor.Action = "question-up:1";
        editor.Apply();
        editor.Action = "remove-option:1:0";
        editor.Apply();

        var definition = editor.ToDefinition(Published);

        definition.Questions.Select(q => q.Key).ShouldBe(["size", "colour"]);
        definition.Questions[1].Options.Select(o => o.Key).ShouldBe(["blue"]);
        editor.Action = "remove-question:0";
        editor.Apply().ToDefinition(Published).Questions.Select(q => q.Key).ShouldBe(["colour"]);
    }
}
