using System.Net;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.TestSupport;

namespace CustomerInfo.FunctionalTests.Admin;

public sealed class StrictAccountLimitApp : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("RateLimits:AccountFormsPerClientPerMinute", "3")];
}

public class AccountRateLimitTests(StrictAccountLimitApp app) : IClassFixture<StrictAccountLimitApp>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("acme", "Acme Shoes");
        await app.AddMemberAsync("acme", "ann@acme.test", TeamRole.Owner);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Sign_in_posts_from_one_address_beyond_the_limit_answer_429_while_the_form_still_shows()
    {
        var client = app.ClientFor("acme.localhost");
        for (var i = 0; i < 3; i++)
        {
            (await Members.SignInAsync(client, $"guess{i}@acme.test")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var limited = await Members.SignInAsync(client, "ann@acme.test");
        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter.ShouldNotBeNull();
        (await client.GetAsync("/admin/signin")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_owner_sign_in_is_limited_per_address_too()
    {
        var client = app.ClientFor("localhost");
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add((await Forms.PostAsync(client, "/owner/signin", new Dictionary<string, string> { ["Command.Email"] = "x@y.test", ["Command.Password"] = "nope" })).StatusCode);
        }

        answers.ShouldBe([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests]);
    }
}
