using CustomerInfo.Application.SignUps.GetSignUpForm;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Seeding;
using FluentValidation;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.SignUps;

public class SubmitSignUpTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private Guid demoId;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        demoId = await app.AddStoreAsync("demo", "Demo Store");
        await app.AddStoreAsync("other", "Other Store");
        await app.SendAsync("demo", new PublishFormDefinitionCommand(DemoForm.Definition));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static SubmitSignUpCommand Valid(Guid? id = null) => new()
    {
        SubmissionId = id ?? Guid.NewGuid(),
        FormVersion = 1,
        Language = "nl",
        Location = "station",
        FirstName = "  Ann ",
        LastName = "de Vries",
        Email = "Ann@Example.com",
        Phone = "06 12345678",
        BirthdayDay = 29,
        BirthdayMonth = 2,
        PostalCode = "1012 ab",
        EmailConsent = true,
        SmsConsent = false,
        Answers = new() { ["interests"] = ["women", "home"], ["member-card"] = ["yes"], ["gone-question"] = ["x"] },
    };

    [Fact]
    public async Task A_valid_sign_up_is_stored_as_one_event_with_normalised_details_and_consent_proof()
    {
        var command = Valid();
        var result = await app.SendAsync("demo", command);

        result.AlreadyReceived.ShouldBeFalse();
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(demoId.ToString());
        var events = await session.Events.FetchStreamAsync(command.SubmissionId!.Value);
        var submitted = events.Single().Data.ShouldBeOfType<SignUpSubmitted>();
        submitted.Shopper.ShouldBe(new Shopper("Ann", "de Vries", "Ann@Example.com", "+31612345678", new Birthday(29, 2, null), "1012 AB"));
        submitted.Language.ShouldBe("nl");
        submitted.Location.ShouldBe("station");
        submitted.FormVersion.ShouldBe(1);
        submitted.Answers.Select(a => (a.QuestionKey, string.Join(",", a.Values))).ShouldBe([("interests", "women,home"), ("member-card", "yes")]);
        submitted.SmsConsent.ShouldBeNull();
        var consent = submitted.EmailConsent.ShouldNotBeNull();
        consent.Text.ShouldBe(DemoForm.Definition.EmailConsent.In("nl"));
        consent.TextVersion.ShouldBe(ConsentText.VersionOf(consent.Text));
        consent.Location.ShouldBe("station");

        var list = await app.SendAsync("demo", new ListSignUpsQuery());
        list.Items.Single().Email.ShouldBe("Ann@Example.com");
    }

    [Fact]
    public async Task Resubmitting_the_same_form_stores_nothing_new()
    {
        var id = Guid.NewGuid();
        (await app.SendAsync("demo", Valid(id))).AlreadyReceived.ShouldBeFalse();
        (await app.SendAsync("demo", Valid(id))).AlreadyReceived.ShouldBeTrue();

        (await app.SendAsync("demo", new ListSignUpsQuery())).Items.Count.ShouldBe(1);
    }

    [Fact]
    public async Task The_same_submission_id_in_another_store_is_that_store_s_own()
    {
        var id = Guid.NewGuid();
        await app.SendAsync("demo", Valid(id));
        var other = Valid(id);
        other.FormVersion = null;
        other.Location = null;
        other.Answers.Clear();

        (await app.SendAsync("other", other)).AlreadyReceived.ShouldBeFalse();
        (await app.SendAsync("other", new ListSignUpsQuery())).Items.Count.ShouldBe(1);
        (await app.SendAsync("demo", new ListSignUpsQuery())).Items.Count.ShouldBe(1);
    }

    [Fact]
    public async Task An_invalid_sign_up_is_refused_field_by_field_and_stores_nothing()
    {
        var command = Valid();
        command.FirstName = " ";
        command.Email = "ann@gmail";
        command.Phone = "12";
        command.BirthdayDay = 31;
        command.BirthdayMonth = 4;
        command.Answers["favourite-shop"] = ["moon"];

        var exception = await Should.ThrowAsync<ValidationException>(() => app.SendAsync("demo", command));

        exception.Errors.Select(e => e.PropertyName).ShouldBe(["FirstName", "Email", "Phone", "Birthday", "Answers[favourite-shop]"], ignoreOrder: true);
        (await app.SendAsync("demo", new ListSignUpsQuery())).Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_form_comes_in_the_asked_language_with_a_fresh_submission_id_each_time()
    {
        var first = await app.SendAsync("demo", new GetSignUpFormQuery("nl", "centre"));
        var second = await app.SendAsync("demo", new GetSignUpFormQuery("xx", "nowhere"));

        first.Language.ShouldBe("nl");
        first.Location!.Name.ShouldBe("Demo Store City Centre");
        second.Language.ShouldBe("en");
        second.Location.ShouldBeNull();
        first.SubmissionId.ShouldNotBe(second.SubmissionId);
        first.Definition.Questions.Count.ShouldBe(4);
    }
}
