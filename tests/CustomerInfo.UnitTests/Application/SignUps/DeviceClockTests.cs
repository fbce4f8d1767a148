using CustomerInfo.Application.SignUps.SubmitSignUp;

namespace CustomerInfo.UnitTests.Application.SignUps;

public class DeviceClockTests
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_tablet_that_sent_no_time_claims_nothing() =>
        DeviceClock.Claim(null, ReceivedAt).ShouldBeNull();

    [Theory]
    [InlineData(0)]
    [InlineData(-3 * 60)]
    [InlineData(-6 * 24 * 60)]
    [InlineData(-30 * 24 * 60)]
    public void A_time_from_now_back_to_the_offline_limit_is_believed_as_sent(int minutes)
    {
        var filledAt = ReceivedAt.AddMinutes(minutes);

        DeviceClock.Claim(filledAt, ReceivedAt).ShouldBe(filledAt);
    }

    [Fact]
    public void A_time_in_another_offset_is_the_same_instant()
    {
        var filledAt = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.FromHours(1));

        DeviceClock.Claim(filledAt, ReceivedAt).ShouldBe(ReceivedAt.AddHours(-2));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void A_clock_a_little_ahead_counts_as_now(int minutes) =>
        DeviceClock.Claim(ReceivedAt.AddMinutes(minutes), ReceivedAt).ShouldBe(ReceivedAt);

    [Theory]
    [InlineData(6)]
    [InlineData(365 * 24 * 60)]
    [InlineData(-30 * 24 * 60 - 1)]
    [InlineData(-10 * 365 * 24 * 60)]
    public void A_time_too_far_ahead_or_older_than_the_offline_limit_is_not_believed(int minutes) =>
        DeviceClock.Claim(ReceivedAt.AddMinutes(minutes), ReceivedAt).ShouldBeNull();
}
