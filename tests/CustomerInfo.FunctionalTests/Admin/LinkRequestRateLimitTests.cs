using System.Net;
using CustomerInfo.TestSupport;

namespace CustomerInfo.FunctionalTests.Admin;

/// <summary>The forms that mail a link: limited per client address like every account form (an app of their own, so no other test spends the permits).</summary>
public class LinkRequestRateLimitTests(StrictAccountLimitApp app) : IClassFixture<StrictAccountLimitApp>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("acme", "Acme Shoes");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("acme.localhost", "/admin/forgot-password")]
    [InlineData("localhost", "/signin")]
    public async Task Posts_from_one_address_beyond_the_limit_answer_429(string host, string path)
    {
        var client = app.ClientFor(host);
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add((await Forms.PostAsync(client, path, new Dictionary<string, string> { ["Command.Email"] = $"guess{i}@acme.test" })).StatusCode);
        }

        answers.ShouldBe([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests]);
    }
}
