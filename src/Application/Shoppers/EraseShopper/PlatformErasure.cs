using System.Linq.Expressions;
using CustomerInfo.Application.Contacts;
using CustomerInfo.Application.Crm.Erasure;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Shoppers.EraseShopper;

/// <summary>
/// The platform's own erasures of many shoppers at once (a canceled store's data, retention): each
/// contact through <see cref="EraseShopperCommand"/>, a page at a time, each a short transaction of its own.
/// They erase our copies only: what the retailer's CRM holds is theirs, so these never delete there.
/// </summary>
public static class PlatformErasure
{
    /// <summary>Contacts erased per round trip.</summary>
    public const int PageSize = 100;

    /// <summary>
    /// Erases every surviving contact of the session's tenant that <paramref name="due"/> selects (null: all) and
    /// returns how many. Survivors only (a merged contact goes with the one it lives on in), never an
    /// erased one, so each page is new; oldest latest sign-up first, along the contact list's index.
    /// </summary>
    public static async Task<int> EraseEachAsync(
        IQuerySession session, ISender sender, Expression<Func<ContactSummary, bool>>? due, string erasedBy, CancellationToken cancellationToken)
    {
        var erased = 0;
        var done = new HashSet<Guid>();
        while (true)
        {
            var survivors = session.Query<ContactSummary>().Where(c => c.MergedInto == null && c.ErasedAt == null);
            var page = await (due is null ? survivors : survivors.Where(due))
                .OrderBy(c => c.LastSignedUpAt).ThenBy(c => c.Id)
                .Select(c => c.Id)
                .Take(PageSize)
                .ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                return erased;
            }

            foreach (var contactId in page)
            {
                // A contact that an erasure left unmarked would come back on every page: stop, and let the job retry.
                if (!done.Add(contactId))
                {
                    throw new InvalidOperationException($"Contact {contactId} of tenant {session.TenantId} is still not erased after its erasure.");
                }

                await sender.Send(new EraseShopperCommand(contactId, erasedBy, ErasureReach.OurDataOnly), cancellationToken);
                erased++;
            }
        }
    }
}
