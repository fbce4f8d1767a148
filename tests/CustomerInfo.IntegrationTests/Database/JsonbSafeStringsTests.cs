using CustomerInfo.Application.SignUps.GetSignUp;
using CustomerInfo.TestSupport;

namespace CustomerInfo.IntegrationTests.Database;

/// <summary>
/// The store's last line of defence (ADR 33): a NUL that reaches an event by a path no validation
/// rule covers (here a CRM's answer kept as a failure reason) is stored as U+FFFD, where jsonb
/// would refuse the whole write (SQLSTATE 22P05) and the job or the page would fail.
/// </summary>
public class JsonbSafeStringsTests(ClockedAppFactory app) : IClassFixture<ClockedAppFactory>, IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        app.Clock.UtcNow = Now;
        await app.AddStoreAsync("demo", "Demo Shoes");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_nul_in_a_field_that_has_no_rule_is_stored_as_a_replacement_character_and_the_rest_as_it_was()
    {
        var connection = await app.ConnectCrmAsync("demo");
        var signUp = await app.AddSignUpAtAsync("demo", Now.AddMinutes(-30));

        await app.PushFailedAsync("demo", signUp, connection, "503 from the proxy:\0\0 \u0001 ü€𝄞", Now.AddMinutes(-29));

        (await app.SendAsync("demo", new GetSignUpQuery(signUp)))!.Summary.CrmReason.ShouldBe("503 from the proxy:\uFFFD\uFFFD \u0001 ü€𝄞");
    }
}
