using Marten;

namespace CustomerInfo.Application.Accounts;

/// <summary>The server-side sessions of signed-in people (ADR 12): ending them signs the person out everywhere at once.</summary>
public interface ISessions
{
    /// <summary>Ends every session of the member as part of <paramref name="session"/>'s transaction.</summary>
    void EndAllOf(IDocumentSession session, Guid tenantId, Guid memberId);

    Task EndAllOfAsync(Guid tenantId, Guid memberId, CancellationToken cancellationToken);
}
