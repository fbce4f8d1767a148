using System.Xml.Linq;
using Marten;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace CustomerInfo.Infrastructure.Persistence;

/// <summary>
/// Keeps the Data Protection key ring in PostgreSQL so antiforgery tokens and sign-in cookies
/// issued by one pod are accepted by every other pod and survive restarts.
/// </summary>
internal sealed class MartenXmlRepository(IDocumentStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        // IXmlRepository is synchronous and Marten 9 is async only; the key ring is read rarely and cached.
        using var session = store.QuerySession();
        var keys = session.Query<DataProtectionKey>().ToListAsync().GetAwaiter().GetResult();
        return keys.Select(k => XElement.Parse(k.Xml)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var session = store.LightweightSession();
        session.Store(new DataProtectionKey(friendlyName, element.ToString(SaveOptions.DisableFormatting)));
        // A key is written about once every 90 days.
        session.SaveChangesAsync().GetAwaiter().GetResult();
    }
}
