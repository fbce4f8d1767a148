using CustomerInfo.Application.Crm;
using CustomerInfo.Application.Crm.Push;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.UnitTests.Application.Crm;

public class CrmCredentialFailuresTests
{
    private static readonly Guid Connection = Guid.NewGuid();

    private static SignUpSummary Refused(int? status = 401, string code = "http-status", Guid? connection = null, DateTimeOffset? erasedAt = null) => new()
    {
        Id = Guid.NewGuid(),
        CrmStatus = CrmPushStatus.Failed,
        CrmConnectionId = connection ?? Connection,
        CrmProblem = new CrmProblem(code, "webhook", Status: status),
        ErasedAt = erasedAt,
    };

    private static SignUpSummary[] Of(params SignUpSummary[] signUps) => [.. CrmCredentialFailures.Of(signUps.AsQueryable(), Connection)];

    [Fact]
    public void A_push_the_CRM_refused_for_the_connection_s_credentials_is_one()
    {
        var unauthorized = Refused(401);
        var forbidden = Refused(403);
        var missing = Refused(null, CrmProblems.CredentialsMissing);
        var malformed = Refused(null, CrmProblems.CredentialsMalformed);

        Of(unauthorized, forbidden, missing, malformed).ShouldBe([unauthorized, forbidden, missing, malformed]);
    }

    [Fact]
    public void An_erased_sign_up_is_never_one_whatever_the_caller_s_query()
    {
        Of(Refused(401, erasedAt: DateTimeOffset.UnixEpoch)).ShouldBeEmpty();
    }

    [Fact]
    public void Another_failure_or_another_connection_s_is_not_one()
    {
        Of(Refused(500), Refused(401, connection: Guid.NewGuid()), Refused(401) with { CrmStatus = CrmPushStatus.Retrying }).ShouldBeEmpty();
    }
}
