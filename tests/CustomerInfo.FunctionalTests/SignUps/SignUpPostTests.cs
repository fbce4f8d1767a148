using System.Net;
using System.Text.Json;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Pages.Store;
using CustomerInfo.Web.Seeding;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.FunctionalTests.SignUps;

/// <summary>
/// The valid sign-up is taken before MVC (ADR 35); the page answers everything else. The two must
/// answer alike and store the same sign-up: each case is posted once as the kiosk posts it (taken
/// before MVC) and once with a field the page ignores, which sends it to the page.
/// </summary>
public class SignUpPostTests(SignUpApp app) : IClassFixture<SignUpApp>, IAsyncLifetime
{
    /// <summary>A key model binding ignores and the early path does not know: such a post goes on to the page.</summary>
    private static readonly KeyValuePair<string, string> ToThePage = new("unbound", "1");

    private Guid demo;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        demo = await app.AddStoreAsync("demo", "Demo Store");
        await app.SendAsync("demo", new PublishFormDefinitionCommand(DemoForm.Definition));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private KioskRequestTokens Tokens => app.Services.GetRequiredService<KioskRequestTokens>();

    public static TheoryData<string, string[]> Cases() => new()
    {
        { "/", [] },
        { "/", ["Command.Answers[interests]=women", "Command.Answers[interests]=home", "Command.Answers[favourite-shop]=centre", "Command.Answers[heard-from]=a friend"] },
        { "/", ["Command.Answers[heard-from]=", "Command.SmsConsent=true", "Command.BirthdayYear=1990", "Command.FilledAt=2026-12-01T10:00:00.000Z"] },
        { "/?lang=nl", ["Command.Language=nl", "command.email=Ann@Example.COM", "Command.Phone=", "Command.EmailConsent=false"] },
        { "/?lang=nl", ["Command.Language=", "Command.FirstName=\u202EAnn\u202C", "website="] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_sign_up_taken_before_MVC_answers_and_stores_as_the_page_does(string path, string[] changes)
    {
        var fields = Kiosk.Fields([.. changes.Select(c => c.Split('=', 2)).Select(c => (c[0], (string?)c[1]))]);
        var early = new Kiosk(app.ClientFor("demo.localhost"));
        var page = new Kiosk(app.ClientFor("demo.localhost"));
        await early.OpenAsync(path);
        await page.OpenAsync(path);

        var remembered = Tokens.RememberedAccepted;
        using var earlyAnswer = await early.SubmitAsync(fields, path);
        Tokens.RememberedAccepted.ShouldBe(remembered + 1); // taken before MVC
        using var pageAnswer = await page.SubmitAsync([.. fields, ToThePage], path);
        Tokens.RememberedAccepted.ShouldBe(remembered + 1); // the page's own antiforgery filter

        earlyAnswer.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        Headers(earlyAnswer).ShouldBe(Headers(pageAnswer));
        WithoutNonce(earlyAnswer).ShouldBe(WithoutNonce(pageAnswer));
        (await earlyAnswer.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
        (await pageAnswer.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
        Stored(await SignUpAsync(early.SubmissionId)).ShouldBe(Stored(await SignUpAsync(page.SubmissionId)));
    }

    [Fact]
    public async Task Sending_the_same_sign_up_again_answers_the_same_and_stores_it_once()
    {
        var kiosk = new Kiosk(app.ClientFor("demo.localhost"));
        await kiosk.OpenAsync();

        using var first = await kiosk.SubmitAsync(Kiosk.Fields());
        using var again = await kiosk.SubmitAsync(Kiosk.Fields(("Command.FirstName", "Someone else")));
        using var throughThePage = await kiosk.SubmitAsync([.. Kiosk.Fields(), ToThePage]);

        Headers(again).ShouldBe(Headers(first));
        Headers(throughThePage).ShouldBe(Headers(first));
        (await app.SendAsync("demo", new ListSignUpsQuery())).Items.ShouldHaveSingleItem().FirstName.ShouldBe("Ann");
    }

    [Fact]
    public async Task A_refused_sign_up_goes_on_to_the_page_which_shows_it_again_with_its_errors()
    {
        var kiosk = new Kiosk(app.ClientFor("demo.localhost"));
        await kiosk.OpenAsync();

        var remembered = Tokens.RememberedAccepted;
        var refused = await AppFactory.ReadAsync(await kiosk.SubmitAsync(Kiosk.Fields(("Command.Email", "ann@gmail"))), HttpStatusCode.UnprocessableEntity);
        var unreadable = await AppFactory.ReadAsync(await kiosk.SubmitAsync(Kiosk.Fields(("Command.BirthdayDay", "abc"))), HttpStatusCode.UnprocessableEntity);

        Tokens.RememberedAccepted.ShouldBe(remembered + 1); // the first was checked early, then refused by the validator
        refused.ShouldContain(WebUtility.HtmlEncode("Enter an email address like name@example.com."));
        refused.ShouldContain("value=\"de Vries\"");
        unreadable.ShouldContain("We could not read this. Please check it.");
        (await app.SendAsync("demo", new ListSignUpsQuery())).Items.ShouldBeEmpty();
        (await kiosk.SubmitAsync(Kiosk.Fields())).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task A_remembered_token_is_refused_with_another_tablet_s_cookie()
    {
        var first = new Kiosk(app.ClientFor("demo.localhost"));
        var other = new Kiosk(app.ClientFor("demo.localhost"));
        await first.OpenAsync();
        await other.OpenAsync();
        (await first.SubmitAsync(Kiosk.Fields())).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        await other.OpenAsync();
        using var borrowed = await other.SubmitAsync(Kiosk.Fields(("__RequestVerificationToken", first.Token)));
        using var tampered = await first.SubmitAsync(Kiosk.Fields(("Command.SubmissionId", Guid.NewGuid().ToString()), ("__RequestVerificationToken", first.Token[..^2] + "xx")));

        borrowed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        tampered.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await app.SendAsync("demo", new ListSignUpsQuery())).Items.ShouldHaveSingleItem();
    }

    private async Task<SignUpSubmitted> SignUpAsync(string submissionId)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().LightweightSession(demo.ToString());
        var events = await session.Events.FetchStreamAsync(Guid.Parse(submissionId));
        return events.Select(e => e.Data).OfType<SignUpSubmitted>().ShouldHaveSingleItem();
    }

    /// <summary>The stored sign-up without what differs between any two: its id and the times of receipt.</summary>
    private static string Stored(SignUpSubmitted signUp) => JsonSerializer.Serialize(signUp with
    {
        SignUpId = Guid.Empty,
        ReceivedAt = default,
        FilledAt = signUp.FilledAt == signUp.ReceivedAt ? default : signUp.FilledAt,
        EmailConsent = signUp.EmailConsent is { } email ? email with { GivenAt = default } : null,
        SmsConsent = signUp.SmsConsent is { } sms ? sms with { GivenAt = default } : null,
    });

    private static string WithoutNonce(HttpResponseMessage response) =>
        System.Text.RegularExpressions.Regex.Replace(response.Headers.GetValues("Content-Security-Policy").Single(), "'nonce-[^']*'", "'nonce'");

    /// <summary>Every header, in order, with its value; the date and the script nonce apart.</summary>
    private static string[] Headers(HttpResponseMessage response) =>
    [
        $"{(int)response.StatusCode}",
        .. response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key is not ("Date" or "Content-Security-Policy"))
            .Select(h => $"{h.Key}: {string.Join(",", h.Value)}"),
    ];
}
