using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Contacts;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Domain.SignUps;
using Marten;

namespace CustomerInfo.Application.Crm.Erasure;

/// <summary>
/// Carries a shopper's explicit erasure (<see cref="ErasureReach.AlsoTheCrm"/>) into the tenant's CRM.
/// <see cref="CaptureAsync"/> runs inside the erasure's transaction, before the details are blanked:
/// for the contact and each contact merged into it that was pushed to the active connection, it keeps
/// what the CRM finds the record by (email and phone, encrypted; the record id) in a
/// <see cref="CrmErasureRequest"/>. <see cref="Enqueue"/> runs after the commit and queues one
/// <see cref="EraseShopperInCrmCommand"/> per request. A shopper never pushed to this connection is not
/// sent: the CRM never had them, and a webhook would learn their details only now.
/// </summary>
public sealed class CrmErasures(ITenantContext tenant, ICrmConnectors connectors, ICrmSecrets secrets, IBackgroundJobs jobs, IClock clock)
{
    public async Task<IReadOnlyList<CrmErasureRequest>> CaptureAsync(IDocumentSession session, ContactSummary contact, string requestedBy, ErasureReach reach, CancellationToken cancellationToken)
    {
        if (reach != ErasureReach.AlsoTheCrm
            || await session.LoadAsync<CrmConnection>(CrmConnection.DocumentId, cancellationToken) is not { Active: true } connection
            || connectors.Find(connection.Kind) is not { Info.CanErase: true })
        {
            return [];
        }

        var people = new List<(Guid ContactId, Shopper Shopper, IReadOnlyList<Guid> SignUpIds)> { (contact.Id, contact.Shopper, contact.SignUpIds) };
        if (contact.AbsorbedContactIds.Count > 0)
        {
            var history = await session.Events.FetchStreamAsync(contact.Id, token: cancellationToken);
            people.AddRange(history.Select(e => e.Data).OfType<ContactAbsorbed>().Select(a => (a.Absorbed.ContactId, a.Absorbed.Shopper, a.Absorbed.SignUpIds)));
        }

        var requests = new List<CrmErasureRequest>();
        foreach (var (contactId, shopper, signUpIds) in people.DistinctBy(p => p.ContactId))
        {
            if ((shopper.Email is null && shopper.Phone is null) || await session.LoadAsync<CrmErasureRequest>(contactId, cancellationToken) is not null)
            {
                continue;
            }

            var ids = signUpIds.ToArray();
            var pushed = await session.Query<SignUpSummary>()
                .Where(s => s.Id.IsOneOf(ids) && s.CrmConnectionId == connection.ConnectionId && s.CrmStatus != CrmPushStatus.Waiting && s.CrmStatus != CrmPushStatus.NotSent)
                .ToListAsync(cancellationToken);
            if (pushed.Count == 0)
            {
                continue;
            }

            var identity = new Dictionary<string, string>(StringComparer.Ordinal);
            if (shopper.Email is { } email)
            {
                identity[CrmErasureRequest.EmailKey] = email;
            }

            if (shopper.Phone is { } phone)
            {
                identity[CrmErasureRequest.PhoneKey] = phone;
            }

            var request = new CrmErasureRequest
            {
                Id = contactId,
                ConnectionId = connection.ConnectionId,
                Kind = connection.Kind,
                ProtectedIdentity = secrets.Protect(tenant.RequiredTenant.Id, identity),
                RecordId = pushed.Select(s => s.CrmRecordId).FirstOrDefault(r => r is not null),
                Status = CrmErasureStatus.Pending,
                RequestedBy = requestedBy,
                RequestedAt = clock.UtcNow,
            };
            session.Store(request);
            requests.Add(request);
        }

        return requests;
    }

    public void Enqueue(IReadOnlyList<CrmErasureRequest> requests)
    {
        foreach (var request in requests)
        {
            jobs.Enqueue(new EraseShopperInCrmCommand(tenant.RequiredTenant.Id, request.Id, Crm: request.Kind), JobLane.Crm);
        }
    }
}
