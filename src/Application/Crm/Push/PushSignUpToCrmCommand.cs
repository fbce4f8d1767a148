using CustomerInfo.Application.Common.Jobs;

namespace CustomerInfo.Application.Crm.Push;

/// <summary>
/// Push the contact behind one sign-up, as it is now, to the tenant's CRM: the job on the <c>crm</c>
/// queue (<see cref="JobLane.Crm"/>). Ids only, as every job argument. <see cref="Trigger"/> says which
/// change this push carries: 0 for the sign-up itself, else the event sequence number of the later
/// change (a consent withdrawn) that sent the contact again. With the connection it makes the delivery
/// id, so every retry of one push carries the same id and a receiver can drop duplicates.
/// <see cref="Attempt"/> counts from 1; the handler schedules the next one itself (back-off, Retry-After).
/// <see cref="Store"/> (the store's subdomain) and <see cref="Crm"/> (the connector's kind) only name the
/// job in the Hangfire dashboard; the handler reads the connection afresh.
/// </summary>
public sealed record PushSignUpToCrmCommand(Guid TenantId, Guid SignUpId, long Trigger = 0, int Attempt = 1, string? Store = null, string? Crm = null) : ITenantJobCommand
{
    /// <summary>What the Hangfire dashboard shows, e.g. "Push sign-up 1a2b3c4d… of acme to HubSpot (attempt 2)": short ids, no personal data.</summary>
    public override string ToString() =>
        $"Push sign-up {SignUpId.ToString("N")[..8]}… of {Store ?? "store " + TenantId.ToString("N")[..8]} to {(Crm is null ? "its CRM" : CrmNames.Of(Crm))} (attempt {Attempt})";
}
