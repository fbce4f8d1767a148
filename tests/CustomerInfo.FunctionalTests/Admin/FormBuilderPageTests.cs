using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CustomerInfo.Application.SignUps.FormDrafts;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.FunctionalTests.SignUps;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Pages.Store;

namespace CustomerInfo.FunctionalTests.Admin;

/// <summary>The form builder at /admin/form and its preview, driven the way a browser without script does.</summary>
public sealed partial class FormBuilderPageTests(SignUpApp app) : IClassFixture<SignUpApp>, IAsyncLifetime
{
    private const string Manager = "manager@acme.test";
    private HttpClient manager = null!;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("acme", "Acme Shoes");
        await app.AddStoreAsync("bravo", "Bravo Books");
        await app.AddMemberAsync("acme", Manager, TeamRole.Manager);
        await app.AddMemberAsync("acme", "staff@acme.test", TeamRole.Staff);
        await app.AddMemberAsync("bravo", "owner@bravo.test", TeamRole.Owner);
        manager = app.ClientFor("acme.localhost");
        await Members.SignedInAsync(manager, Manager);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The editor's fields as the page renders them (inputs, selected options, textareas), as the browser would post them back.</summary>
    private static Dictionary<string, string> FieldsOf(string html)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var start = html.IndexOf("id=\"form-editor\"", StringComparison.Ordinal);
        var editor = html[start..html.IndexOf("</form>", start, StringComparison.Ordinal)];
        foreach (Match input in InputPattern().Matches(editor))
        {
            var tag = input.Value;
            var name = Attribute(tag, "name");
            if (name is not null && Attribute(tag, "type") != "submit")
            {
                fields[name] = Attribute(tag, "value") ?? "";
            }
        }

        foreach (Match select in SelectPattern().Matches(editor))
        {
            var selected = SelectedPattern().Match(select.Groups[2].Value);
            fields[WebUtility.HtmlDecode(select.Groups[1].Value)] = selected.Success ? WebUtility.HtmlDecode(selected.Groups[1].Value) : "";
        }

        foreach (Match area in TextAreaPattern().Matches(editor))
        {
            fields[WebUtility.HtmlDecode(area.Groups[1].Value)] = WebUtility.HtmlDecode(area.Groups[2].Value);
        }

        return fields;
    }

    private static string? Attribute(string tag, string name)
    {
        var match = Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"");
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    private async Task<(string Html, Dictionary<string, string> Fields)> OpenAsync(HttpClient? client = null, string path = "/admin/form")
    {
        var html = await AppFactory.ReadAsync(await (client ?? manager).GetAsync(path), HttpStatusCode.OK);
        return (html, FieldsOf(html));
    }

    private async Task<HttpResponseMessage> PostAsync(string handler, Dictionary<string, string> fields, string query = "", HttpClient? client = null)
    {
        var (_, editor) = await OpenAsync(client);
        var values = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = editor["__RequestVerificationToken"] };
        return await (client ?? manager).PostAsync($"/admin/form?handler={handler}{query}", new FormUrlEncodedContent(values));
    }

    private async Task<FormBuilderState> StateAsync(string store = "acme") => await app.SendAsync(store, new GetFormBuilderQuery());

    private static void AddChoiceQuestion(Dictionary<string, string> fields, int index, string english, string dutch, params string[] options)
    {
        fields[$"Editor.Questions[{index}].Key"] = "";
        fields[$"Editor.Questions[{index}].Kind"] = nameof(QuestionKind.SingleChoice);
        fields[$"Editor.Questions[{index}].Requirement"] = nameof(FieldRequirement.Required);
        fields[$"Editor.Questions[{index}].Label[en]"] = english;
        fields[$"Editor.Questions[{index}].Label[nl]"] = dutch;
        for (var i = 0; i < options.Length; i++)
        {
            fields[$"Editor.Questions[{index}].Options[{i}].Label[en]"] = options[i];
            fields[$"Editor.Questions[{index}].Options[{i}].Label[nl]"] = options[i] + " (nl)";
        }
    }

    private static int FieldIndex(Dictionary<string, string> fields, BuiltInField field) =>
        int.Parse(Regex.Match(fields.Single(f => f.Value == field.ToString() && f.Key.EndsWith(".Field", StringComparison.Ordinal)).Key, @"\[(\d+)\]").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_manager_sees_every_built_in_field_the_settings_and_a_preview_frame()
    {
        var (html, fields) = await OpenAsync();

        html.ShouldContain("aria-current=\"page\">Sign-up form</a>");
        html.ShouldContain("Not published yet: the kiosk shows the starter form.");
        foreach (var field in Enum.GetValues<BuiltInField>())
        {
            fields.ShouldContainKeyAndValue($"Editor.Fields[{FieldIndex(fields, field)}].Field", field.ToString());
        }

        fields["Editor.BasedOnVersion"].ShouldBe("0");
        fields["Editor.Country"].ShouldBe("NL");
        fields["Editor.EmailConsent[nl]"].ShouldStartWith("Ja, Acme Shoes mag mij");
        html.ShouldContain("<iframe id=\"preview\" src=\"/admin/form/preview?lang=en\"");
        html.ShouldContain("<option value=\"CH\">Switzerland</option>");
        html.ShouldContain("aria-label=\"Move First name down\"");

        var dutch = await AppFactory.ReadAsync(await manager.GetAsync("/admin/form?lang=nl"), HttpStatusCode.OK);
        dutch.ShouldContain("Je eigen vragen");
        dutch.ShouldContain("<option value=\"CH\">Zwitserland</option>");
        dutch.ShouldContain("Welkomsttekst in het Engels");
        dutch.ShouldContain("Welkomsttekst in het Nederlands");
        dutch.ShouldNotContain("in het English");
        html.ShouldContain("Welcome in Dutch");
    }

    [Fact]
    public async Task Staff_and_strangers_get_no_builder_and_no_preview()
    {
        var staff = app.ClientFor("acme.localhost");
        await Members.SignedInAsync(staff, "staff@acme.test");
        var stranger = app.ClientFor("acme.localhost");
        await Members.SignInAsync(stranger, "owner@bravo.test");
        var anonymous = app.ClientFor("acme.localhost");

        foreach (var path in new[] { "/admin/form", "/admin/form/preview" })
        {
            (await staff.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, path);
            (await anonymous.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Redirect, path);
            (await anonymous.GetAsync(path)).Headers.Location!.OriginalString.ShouldContain("/admin/signin");
            (await stranger.GetAsync(path)).StatusCode.ShouldBeOneOf(HttpStatusCode.Redirect, HttpStatusCode.NotFound);
        }

        var (html, fields) = await OpenAsync();
        fields["Editor.Fields[0].Requirement"] = nameof(FieldRequirement.Hidden);
        fields["__RequestVerificationToken"] = Forms.AntiforgeryToken(html);
        (await staff.PostAsync("/admin/form?handler=Publish", new FormUrlEncodedContent(fields))).StatusCode.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.BadRequest);
        fields.Remove("__RequestVerificationToken");
        (await manager.PostAsync("/admin/form?handler=Publish", new FormUrlEncodedContent(fields))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await manager.PostAsync("/admin/form?handler=Save", new FormUrlEncodedContent(fields))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await StateAsync()).Draft.ShouldBeNull();
        (await StateAsync()).Published.Version.ShouldBe(0);
    }

    [Fact]
    public async Task Moving_a_field_with_its_button_keeps_the_draft_and_the_order()
    {
        var (_, fields) = await OpenAsync();
        fields["Editor.Action"] = "field-down:0";

        var moved = await PostAsync("Save", fields);

        moved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        moved.Headers.Location!.OriginalString.ShouldEndWith("#fields");
        var draft = (await StateAsync()).Draft.ShouldNotBeNull();
        draft.Definition.Fields.Select(f => f.Field).Take(2).ShouldBe([BuiltInField.LastName, BuiltInField.FirstName]);
        draft.BasedOnVersion.ShouldBe(0);
        draft.SavedBy.ShouldStartWith("member:");
        var (html, again) = await OpenAsync();
        again["Editor.Fields[0].Field"].ShouldBe(nameof(BuiltInField.LastName));
        html.ShouldContain("You have unpublished changes.");
    }

    [Fact]
    public async Task A_published_choice_question_and_a_required_phone_show_on_the_kiosk()
    {
        var (_, fields) = await OpenAsync();
        AddChoiceQuestion(fields, 0, "Favourite shoe?", "Favoriete schoen?", "Sneakers", "Boots", "Sandals");
        fields[$"Editor.Fields[{FieldIndex(fields, BuiltInField.Phone)}].Requirement"] = nameof(FieldRequirement.Required);

        var published = await PostAsync("Publish", fields);

        published.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var done = await AppFactory.ReadAsync(await manager.GetAsync(published.Headers.Location), HttpStatusCode.OK);
        done.ShouldContain("Version 1 is live on the kiosk.");
        var state = await StateAsync();
        state.Draft.ShouldBeNull();
        var question = state.Published.Questions.ShouldHaveSingleItem();
        question.Key.ShouldBe("favourite-shoe");
        question.Options.Select(o => o.Key).ShouldBe(["sneakers", "boots", "sandals"]);
        state.Published.Branding.PrimaryColor.ShouldBe(new Branding().PrimaryColor);

        var kiosk = await AppFactory.ReadAsync(await app.ClientFor("acme.localhost").GetAsync("/"), HttpStatusCode.OK);
        kiosk.ShouldContain("Favourite shoe?");
        kiosk.ShouldContain("name=\"Command.Answers[favourite-shoe]\" value=\"boots\"");
        Regex.IsMatch(kiosk, "<input id=\"phone\"[^>]*required=\"required\"").ShouldBeTrue();
        var dutch = await AppFactory.ReadAsync(await app.ClientFor("acme.localhost").GetAsync("/?lang=nl"), HttpStatusCode.OK);
        dutch.ShouldContain("Favoriete schoen?");
    }

    [Fact]
    public async Task Rewording_a_published_question_keeps_its_key_and_a_second_one_of_the_same_name_gets_its_own()
    {
        var (_, fields) = await OpenAsync();
        AddChoiceQuestion(fields, 0, "Colour", "Kleur", "Red", "Blue");
        (await PostAsync("Publish", fields)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (_, fields) = await OpenAsync();
        fields["Editor.Questions[0].Label[en]"] = "Your favourite colour";
        AddChoiceQuestion(fields, 1, "Colour", "Kleur", "Red", "Red");
        (await PostAsync("Publish", fields)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var published = (await StateAsync()).Published;
        published.Version.ShouldBe(2);
        published.Questions.Select(q => q.Key).ShouldBe(["colour", "colour-2"]);
        published.Questions[0].Label.In("en").ShouldBe("Your favourite colour");
        published.Questions[1].Options.Select(o => o.Key).ShouldBe(["red", "red-2"]);
    }

    [Fact]
    public async Task No_email_and_no_phone_is_refused_next_to_the_fields_and_nothing_is_published_but_the_draft_is_kept()
    {
        var (_, fields) = await OpenAsync();
        fields[$"Editor.Fields[{FieldIndex(fields, BuiltInField.Email)}].Requirement"] = nameof(FieldRequirement.Hidden);
        fields[$"Editor.Fields[{FieldIndex(fields, BuiltInField.Phone)}].Requirement"] = nameof(FieldRequirement.Hidden);

        var html = await AppFactory.ReadAsync(await PostAsync("Publish", fields), HttpStatusCode.OK);

        html.ShouldContain("There is 1 thing to fix before publishing.");
        html.ShouldContain("<a href=\"#fields\">Ask for an email address or a phone number, or both.</a>");
        html.ShouldContain("<p class=\"field-error\" id=\"fields-error\">Ask for an email address or a phone number, or both.</p>");
        FieldsOf(html)[$"Editor.Fields[{FieldIndex(fields, BuiltInField.Email)}].Requirement"].ShouldBe(nameof(FieldRequirement.Hidden));
        var state = await StateAsync();
        state.Published.Version.ShouldBe(0);
        state.Draft.ShouldNotBeNull().Definition.RequirementOf(BuiltInField.Email).ShouldBe(FieldRequirement.Hidden);

        var dutch = await AppFactory.ReadAsync(await PostAsync("Publish", fields, "&lang=nl"), HttpStatusCode.OK);
        dutch.ShouldContain("Vraag om een e-mailadres of een telefoonnummer, of allebei.");
    }

    [Fact]
    public async Task Two_hundred_questions_are_refused_with_a_clear_message()
    {
        var (_, fields) = await OpenAsync();
        for (var i = 0; i < 200; i++)
        {
            AddChoiceQuestion(fields, i, $"Question {i}", $"Vraag {i}", "Yes", "No");
        }

        var html = await AppFactory.ReadAsync(await PostAsync("Publish", fields), HttpStatusCode.OK);

        html.ShouldContain("A form can have at most 30 questions of your own.");
        (await StateAsync()).Published.Version.ShouldBe(0);
    }

    [Fact]
    public async Task Garbage_and_missing_values_are_answered_with_errors_next_to_their_fields()
    {
        var html = await AppFactory.ReadAsync(await PostAsync("Publish", new()
        {
            ["Editor.BasedOnVersion"] = "banana",
            ["Editor.Fields[0].Field"] = "Nope",
            ["Editor.Fields[0].Requirement"] = "Always",
            ["Editor.Fields[1].Field"] = "7",
            ["Editor.Questions[0].Kind"] = "Bogus",
            ["Editor.Questions[0].Label[xx]"] = "No such language",
            ["Editor.Questions[1].Kind"] = nameof(QuestionKind.MultipleChoice),
            ["Editor.Questions[1].Label[en]"] = new string('x', 201),
            ["Editor.Questions[1].Options[0].Label[en]"] = "Only one",
            ["Editor.ThankYouSeconds"] = "abc",
            ["Editor.IdleSeconds"] = "99999999999999999999",
            ["Editor.DefaultLanguage"] = "de",
            ["Editor.Country"] = "XX",
        }), HttpStatusCode.OK);

        html.ShouldContain("Ask for an email address or a phone number, or both.");
        html.ShouldContain("<span class=\"field-error\" id=\"q0-label-en-error\">A question needs a label.</span>");
        html.ShouldContain("<span class=\"field-error\" id=\"q1-label-en-error\">Keep a label to 200 characters.</span>");
        html.ShouldContain("<p class=\"field-error\" id=\"q1-options-error\">A choice question needs at least two options.</p>");
        html.ShouldContain("<span class=\"field-error\" id=\"thank-you-seconds-error\">Show the thank-you screen for 3 to 60 seconds.</span>");
        html.ShouldContain("<span class=\"field-error\" id=\"idle-seconds-error\">Clear an untouched form after 15 to 600 seconds.</span>");
        html.ShouldContain("<span class=\"field-error\" id=\"default-language-error\">Choose English or Dutch.</span>");
        html.ShouldContain("<span class=\"field-error\" id=\"country-error\">Choose a country from the list.</span>");
        var fields = FieldsOf(html);
        fields["Editor.ThankYouSeconds"].ShouldBe("abc");
        fields["Editor.Questions[0].Kind"].ShouldBe(nameof(QuestionKind.ShortText));
        (await StateAsync()).Published.Version.ShouldBe(0);
    }

    [Fact]
    public async Task Hostile_strings_in_every_text_are_kept_or_refused_never_a_server_error()
    {
        var naughty = JsonSerializer.Deserialize<string[]>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "SignUps", "NaughtyStrings", "blns.json")))!;
        var (_, fields) = await OpenAsync();
        // A hundred strings a post (25 questions of 4 options): the store's POST rate limit allows a minute's worth of these.
        foreach (var chunk in naughty.Chunk(100))
        {
            var post = new Dictionary<string, string>(fields);
            for (var i = 0; i < Math.Min(25, chunk.Length); i++)
            {
                var options = Enumerable.Range(0, 4).Select(o => chunk[((i * 4) + o) % chunk.Length]).ToArray();
                AddChoiceQuestion(post, i, chunk[i], chunk[(i + 25) % chunk.Length], options);
                post[$"Editor.Questions[{i}].Key"] = chunk[i];
            }

            post["Editor.EmailConsent[en]"] = chunk[0];
            post["Editor.Welcome[nl]"] = chunk[^1];
            post["Editor.Country"] = chunk[1];
            post["Editor.Action"] = chunk[2];
            foreach (var handler in new[] { "Save", "Publish" })
            {
                var response = await PostAsync(handler, post);
                response.StatusCode.ShouldBeOneOf([HttpStatusCode.OK, HttpStatusCode.Redirect, HttpStatusCode.Conflict], $"{handler}: {string.Join(" | ", chunk.Take(3))}");
            }

            (await manager.GetAsync("/admin/form/preview")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var preview = await manager.GetAsync("/admin/form/preview");
        preview.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AppFactory.ReadAsync(await manager.GetAsync("/"), HttpStatusCode.OK)).ShouldContain("id=\"signup\"");
    }

    [Fact]
    public async Task A_publish_from_an_older_version_says_who_won_keeps_the_edits_and_can_publish_over_it()
    {
        var (_, fields) = await OpenAsync();
        fields["Editor.Welcome[en]"] = "Mine, not theirs";
        await app.SendAsync("acme", new PublishFormDefinitionCommand(FormDefinition.StarterFor("Acme Shoes") with { IdleSeconds = 90 }, BasedOnVersion: 0));

        var conflict = await PostAsync("Publish", fields);

        conflict.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var html = await conflict.Content.ReadAsStringAsync();
        html.ShouldContain("Someone published version 1 meanwhile.");
        html.ShouldContain("Publish mine over version 1");
        html.ShouldContain("Discard mine and load version 1");
        FieldsOf(html)["Editor.Welcome[en]"].ShouldBe("Mine, not theirs");
        var state = await StateAsync();
        state.Published.IdleSeconds.ShouldBe(90);
        state.Draft.ShouldNotBeNull().Definition.Branding.Welcome.In("en").ShouldBe("Mine, not theirs");

        // A reload keeps the edits and still offers the choice.
        var (reloaded, kept) = await OpenAsync();
        kept["Editor.Welcome[en]"].ShouldBe("Mine, not theirs");
        reloaded.ShouldContain("Someone published version 1 meanwhile.");

        var over = await PostAsync("Publish", kept, "&over=1");
        over.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await StateAsync()).Published.ShouldSatisfyAllConditions(
            p => p.Version.ShouldBe(2),
            p => p.Branding.Welcome.In("en").ShouldBe("Mine, not theirs"));
    }

    [Fact]
    public async Task Discarding_the_draft_loads_the_published_form()
    {
        var (_, fields) = await OpenAsync();
        fields["Editor.Welcome[en]"] = "Draft words";
        (await PostAsync("Save", fields)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await OpenAsync()).Fields["Editor.Welcome[en]"].ShouldBe("Draft words");

        (await PostAsync("Discard", fields)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await StateAsync()).Draft.ShouldBeNull();
        (await OpenAsync()).Fields["Editor.Welcome[en]"].ShouldStartWith("Join Acme Shoes");
    }

    [Fact]
    public async Task The_preview_shows_the_draft_like_the_kiosk_takes_no_sign_ups_and_is_framed_by_this_origin_only()
    {
        var (_, fields) = await OpenAsync();
        AddChoiceQuestion(fields, 0, "Draft question?", "Conceptvraag?", "One", "Two");
        (await PostAsync("Save", fields)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var response = await manager.GetAsync("/admin/form/preview?lang=nl");

        var html = await AppFactory.ReadAsync(response, HttpStatusCode.OK);
        response.Headers.GetValues("X-Frame-Options").ShouldBe(["SAMEORIGIN"]);
        response.Headers.GetValues("Content-Security-Policy").ShouldHaveSingleItem().ShouldContain("frame-ancestors 'self'");
        response.Headers.TryGetValues("Set-Cookie", out var cookies);
        (cookies ?? []).ShouldNotContain(c => c.StartsWith(KioskCookie.Name + "=", StringComparison.Ordinal));
        html.ShouldContain("<meta name=\"robots\" content=\"noindex\">");
        html.ShouldContain("Conceptvraag?");
        html.ShouldContain("<form id=\"signup\" class=\"card preview\"");
        html.ShouldNotContain("method=\"post\"");
        html.ShouldNotContain("__RequestVerificationToken");
        html.ShouldNotContain("kiosk.js");
        html.ShouldNotContain("queue-store.js");
        Regex.IsMatch(html, "<button type=\"submit\" class=\"submit\" disabled").ShouldBeTrue();
        html.ShouldContain("href=\"/admin/form/preview?lang=en\"");
        // The kiosk itself still shows the published (starter) form.
        (await AppFactory.ReadAsync(await app.ClientFor("acme.localhost").GetAsync("/"), HttpStatusCode.OK)).ShouldNotContain("Draft question?");
    }

    [GeneratedRegex("<input\\b[^>]*>")]
    private static partial Regex InputPattern();

    [GeneratedRegex("<select\\b[^>]*\\sname=\"([^\"]+)\"[^>]*>(.*?)</select>", RegexOptions.Singleline)]
    private static partial Regex SelectPattern();

    [GeneratedRegex("<option value=\"([^\"]*)\"[^>]*selected=\"selected\"")]
    private static partial Regex SelectedPattern();

    [GeneratedRegex("<textarea\\b[^>]*\\sname=\"([^\"]+)\"[^>]*>(.*?)</textarea>", RegexOptions.Singleline)]
    private static partial Regex TextAreaPattern();
}
