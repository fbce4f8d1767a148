using CustomerInfo.TestSupport;
using Microsoft.Extensions.Logging;

namespace CustomerInfo.UnitTests.TestSupport;

/// <summary>The guard every test app's logs pass through must catch what it is there for.</summary>
public class LoggedPersonalDataTests
{
    [Theory]
    [InlineData("Sign-up from ann.de-vries@example.com refused")]
    [InlineData("Calling +31612345678")]
    [InlineData("Calling 06 12345678")]
    [InlineData("Shopper Zebulonia signed up")]
    public void A_line_with_personal_data_is_a_leak(string message)
    {
        LoggedPersonalData.Remember("Zebulonia");
        using var logs = new LoggedPersonalData();

        logs.CreateLogger("Test").Log(LogLevel.Information, default, message, null, (text, _) => text);

        logs.Leaks().Single().ShouldContain(message);
    }

    [Fact]
    public void Ids_times_and_counts_are_not()
    {
        using var logs = new LoggedPersonalData();
        var logger = logs.CreateLogger("Test");

        var linked = $"Sign-up {Guid.NewGuid()} at {DateTimeOffset.UtcNow:O} linked to contact {Guid.NewGuid()} after 3 tries";
        logger.Log(LogLevel.Information, default, linked, null, (text, _) => text);
        logger.Log(LogLevel.Debug, default, "Request 0HN7 took 12.5 ms, trace 4bf92f3577b34da6a3ce929d0e0e4736", null, (text, _) => text);

        logs.Lines.Count.ShouldBe(2);
        logs.Leaks().ShouldBeEmpty();
    }
}
