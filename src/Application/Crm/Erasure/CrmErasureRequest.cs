using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.Application.Crm.Erasure;

/// <summary>
/// A shopper's erasure still to be carried out in the tenant's CRM (id: the erased contact's id, one
/// per contact: a merged contact may have its own record). The CRM finds the shopper by email or phone,
/// which are erased here in the same transaction, so they are kept for the call in
/// <see cref="ProtectedIdentity"/> only: one Data Protection ciphertext (<see cref="ICrmSecrets"/>, a
/// purpose per tenant), dropped as soon as the CRM erased the shopper or refused for good; after a
/// failure a retry could fix (the CRM down past the last attempt, wrong credentials) it stays until a
/// Manager's retry ends. The job carries ids only.
/// </summary>
public sealed record CrmErasureRequest
{
    public const string EmailKey = "email";
    public const string PhoneKey = "phone";

    public Guid Id { get; init; }

    /// <summary>The connection the shopper was pushed to; a different connection later cannot reach that CRM's records.</summary>
    public Guid ConnectionId { get; init; }

    public required string Kind { get; init; }

    /// <summary>The email and phone as one ciphertext, until the CRM answered for good; null after (kept on a failure a retry may fix).</summary>
    public string? ProtectedIdentity { get; init; }

    /// <summary>The CRM's id of the record, from the push (<c>SignUpPushedToCrm</c>), when it gave one.</summary>
    public string? RecordId { get; init; }

    public CrmErasureStatus Status { get; init; }

    public int Attempts { get; init; }

    /// <summary>The CRM's reason for the last failure, cleaned of personal data (<see cref="CrmReason.Clean"/>).</summary>
    public string? Reason { get; init; }

    /// <summary>The same reason in parts, worded in the reader's language on the CRM page; null on requests stored before 2026-12-03.</summary>
    public CrmProblem? Problem { get; init; }

    /// <summary>Who asked for the erasure: an account id or a role, never a name or an address.</summary>
    public required string RequestedBy { get; init; }

    public DateTimeOffset RequestedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }
}

public enum CrmErasureStatus
{
    /// <summary>Queued, or waiting for a retry after the CRM was down, slow or throttling.</summary>
    Pending,

    /// <summary>The CRM erased the shopper (or had no record of them).</summary>
    Erased,

    /// <summary>The CRM refused, or kept failing until the last attempt: the retailer must erase the shopper there by hand.</summary>
    Failed,
}

/// <summary>
/// How far an erasure reaches. Only an explicit erasure (the shopper asked, through a Manager)
/// reaches the retailer's CRM; an erasure by the platform (a canceled store's data, retention) never
/// deletes anything there, because the CRM and its records are the retailer's.
/// </summary>
public enum ErasureReach
{
    /// <summary>Our copies only: the platform's own erasures.</summary>
    OurDataOnly,

    /// <summary>Our copies, and the shopper's record in the tenant's CRM (where its connector can erase).</summary>
    AlsoTheCrm,
}
