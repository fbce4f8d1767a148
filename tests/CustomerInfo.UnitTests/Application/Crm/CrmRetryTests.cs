using CustomerInfo.Application.Crm;
using CustomerInfo.Application.Crm.Retry;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.UnitTests.Application.Crm;

public class CrmRetryTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly CrmConnection Connection = new() { ConnectionId = Guid.NewGuid(), Kind = "webhook" };

    private static SignUpSummary SignUp(CrmPushStatus status) => new() { Id = Guid.NewGuid(), CrmStatus = status };

    [Theory]
    [InlineData(CrmPushStatus.Failed)]
    [InlineData(CrmPushStatus.Retrying)]
    public void A_failed_or_retrying_sign_up_with_an_active_connection_is_queued_again_for_that_connection(CrmPushStatus status)
    {
        var signUp = SignUp(status);

        CrmRetry.Decide(signUp, Connection, Now).ShouldBe((RetryCrmPushOutcome.Queued, new SignUpQueuedForCrm(signUp.Id, Connection.ConnectionId, CrmQueueReason.Retry, Now)));
    }

    [Theory]
    [InlineData(CrmPushStatus.Waiting)]
    [InlineData(CrmPushStatus.Pushed)]
    [InlineData(CrmPushStatus.NotSent)]
    public void A_sign_up_whose_push_has_not_failed_is_not_retried(CrmPushStatus status) =>
        CrmRetry.Decide(SignUp(status), Connection, Now).ShouldBe((RetryCrmPushOutcome.NotFailed, null));

    [Fact]
    public void Without_a_connection_or_with_a_disconnected_one_nothing_is_retried()
    {
        CrmRetry.Decide(SignUp(CrmPushStatus.Failed), null, Now).ShouldBe((RetryCrmPushOutcome.NotConnected, null));
        CrmRetry.Decide(SignUp(CrmPushStatus.Failed), Connection with { Active = false }, Now).ShouldBe((RetryCrmPushOutcome.NotConnected, null));
    }

    [Fact]
    public void An_erased_shopper_has_nothing_left_to_send() =>
        CrmRetry.Decide(SignUp(CrmPushStatus.Failed) with { ErasedAt = Now }, Connection, Now).ShouldBe((RetryCrmPushOutcome.Erased, null));
}
