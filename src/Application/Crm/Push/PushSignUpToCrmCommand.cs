using CustomerInfo.Application.Common.Jobs;

namespace CustomerInfo.Application.Crm.Push;

/// <summary>
/// Push the contact behind one sign-up, as it is now, to the tenant's CRM: the job on the <c>crm</c>
/// queue (<see cref="JobLane.Crm"/>). Ids only, as every job argument. <see cref="Trigger"/> says which
/// change this push carries: 0 for the sign-up itself, else the event sequence number of the later
/// change (a consent withdrawn) that sent the contact again. With the connection it makes the delivery
/// id, so every retry of one push carries the same id and a receiver can drop duplicates.
/// <see cref="Attempt"/> counts from 1; the handler schedules the next one itself (back-off, Retry-After).
/// </summary>
public sealed record PushSignUpToCrmCommand(Guid TenantId, Guid SignUpId, long Trigger = 0, int Attempt = 1) : ITenantJobCommand
{
    /// <summary>What the Hangfire dashboard shows (ids shortened, no personal data).</summary>
    public override string ToString() => $"Push sign-up {SignUpId.ToString("N")[..8]}… to the CRM (attempt {Attempt})";
}
