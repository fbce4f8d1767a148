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
        await app.SendAsync("demo", new PublishFormDefinitionCommand(DemoForm.WithLegacyLocations));
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
        submitted.Shopper.ShouldBe(new Shopper("Ann", "de Vries", "Ann@example.com", "+31612345678", new Birthday(29, 2, null), "1012 AB"));
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
        list.Items.Single().Email.ShouldBe("Ann@example.com");
    }

    [Fact]
    public async Task A_consent_queued_offline_is_given_when_the_server_received_it_and_keeps_the_tablet_s_time_as_a_claim()
    {
        var command = Valid();
        command.SmsConsent = true;
        command.FilledAt = DateTimeOffset.UtcNow.AddDays(-6);
        var before = DateTimeOffset.UtcNow;

        await app.SendAsync("demo", command);

        var submitted = await SubmittedAsync(command.SubmissionId!.Value);
        submitted.ReceivedAt.ShouldBeGreaterThanOrEqualTo(before);
        submitted.FilledAt.ShouldBe(command.FilledAt.Value);
        foreach (var consent in new[] { submitted.EmailConsent, submitted.SmsConsent })
        {
            consent.ShouldNotBeNull().GivenAt.ShouldBe(submitted.ReceivedAt);
            consent.DeviceFilledAt.ShouldBe(command.FilledAt);
        }
    }

    [Theory]
    [InlineData(-31 * 24 * 60)]
    [InlineData(60)]
    [InlineData(null)]
    public async Task A_tablet_time_that_cannot_be_believed_is_not_kept_and_the_sign_up_is_dated_by_the_server(int? minutes)
    {
        var command = Valid();
        command.FilledAt = minutes is { } m ? DateTimeOffset.UtcNow.AddMinutes(m) : null;

        await app.SendAsync("demo", command);

        var submitted = await SubmittedAsync(command.SubmissionId!.Value);
        submitted.FilledAt.ShouldBe(submitted.ReceivedAt);
        var consent = submitted.EmailConsent.ShouldNotBeNull();
        consent.GivenAt.ShouldBe(submitted.ReceivedAt);
        consent.DeviceFilledAt.ShouldBeNull();
    }

    [Fact]
    public void A_consent_proof_stored_before_the_tablet_s_claim_was_kept_still_reads()
    {
        var serializer = app.Services.GetRequiredService<IDocumentStore>().Options.Serializer();
        var proof = new ConsentProof(ConsentChannel.Email, "Yes", "v1", "en", DateTimeOffset.UtcNow, "station", DateTimeOffset.UtcNow.AddDays(-1));
        var json = System.Text.Json.Nodes.JsonNode.Parse(serializer.ToJson(proof))!.AsObject();
        json.Remove(json.Single(p => p.Key.Equals(nameof(ConsentProof.DeviceFilledAt), StringComparison.OrdinalIgnoreCase)).Key).ShouldBeTrue();

        var old = serializer.FromJson<ConsentProof>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString())));

        old.ShouldBe(proof with { DeviceFilledAt = null });
    }

    private async Task<SignUpSubmitted> SubmittedAsync(Guid signUpId)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(demoId.ToString());
        return (await session.Events.FetchStreamAsync(signUpId)).Single().Data.ShouldBeOfType<SignUpSubmitted>();
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
