using System.Net;
using CustomerInfo.Application.Owner;
using CustomerInfo.TestSupport;

namespace CustomerInfo.FunctionalTests.Owner;

/// <summary>The platform owner's console with Owner:TotpSecret set, as Production runs it.</summary>
public sealed class OwnerTotpApp : AppFactory
{
    public const string Secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Owner:TotpSecret", Secret)];
}

public class OwnerTwoFactorTests(OwnerTotpApp app) : IClassFixture<OwnerTotpApp>, IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static Dictionary<string, string> Fields(string? code) => new()
    {
        ["Command.Email"] = AppFactory.OwnerEmail,
        ["Command.Password"] = AppFactory.OwnerPassword,
        ["Command.Code"] = code ?? "",
    };

    [Fact]
    public async Task The_password_alone_does_not_open_the_console_or_the_jobs_the_code_does_once()
    {
        var client = app.ClientFor("localhost");
        var form = await AppFactory.ReadAsync(await client.GetAsync("/owner/signin"), HttpStatusCode.OK);
        form.ShouldContain("Code from your authenticator app");

        var passwordOnly = await Forms.PostAsync(client, "/owner/signin", Fields(null));
        (await AppFactory.ReadAsync(passwordOnly, HttpStatusCode.OK)).ShouldContain("That email, password and code do not match");
        (await client.GetAsync("/hangfire")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var code = TwoFactor.CodeFor(OwnerTotpApp.Secret);
        var signedIn = await Forms.PostAsync(client, "/owner/signin", Fields(code));
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await client.GetAsync("/owner")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AppFactory.ReadAsync(await client.GetAsync("/hangfire"), HttpStatusCode.OK)).ShouldContain("CustomerInfo jobs");

        var replay = await Forms.PostAsync(app.ClientFor("localhost"), "/owner/signin", Fields(code));
        (await AppFactory.ReadAsync(replay, HttpStatusCode.OK)).ShouldContain("That email, password and code do not match");
    }

    [Fact]
    public async Task A_right_code_with_a_wrong_password_opens_nothing()
    {
        var client = app.ClientFor("localhost");
        var wrong = await Forms.PostAsync(client, "/owner/signin", new Dictionary<string, string>(Fields(TwoFactor.CodeFor(OwnerTotpApp.Secret, 1))) { ["Command.Password"] = "wrong" });
        wrong.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/owner")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Theory]
    [InlineData(null, false, false, null)]
    [InlineData(null, true, false, "Owner:TotpSecret must be set in Production")]
    [InlineData(null, true, true, null)]
    [InlineData(OwnerTotpApp.Secret, true, false, null)]
    [InlineData("not base32!", false, false, "Owner:TotpSecret is not a base32 key")]
    [InlineData("JBSWY3DP", true, false, "Owner:TotpSecret is not a base32 key")]
    public void Production_does_not_start_without_the_owner_s_second_factor_unless_told_to(string? secret, bool production, bool allowWithout, string? problem)
    {
        var found = OwnerOptions.Problem(new OwnerOptions { TotpSecret = secret, AllowSignInWithoutTotp = allowWithout }, production);
        if (problem is null)
        {
            found.ShouldBeNull();
        }
        else
        {
            found.ShouldStartWith(problem);
        }
    }
}
