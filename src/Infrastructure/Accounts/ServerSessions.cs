using System.Security.Claims;
using System.Security.Cryptography;
using CustomerInfo.Application.Accounts;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.WebUtilities;

namespace CustomerInfo.Infrastructure.Accounts;

/// <summary>
/// A signed-in session, kept on the server: the cookie holds only its random key. Deleting the row
/// ends the session at once on every pod, whatever copies of the cookie exist.
/// </summary>
public sealed class ServerSession
{
    public string Id { get; set; } = "";

    /// <summary>Null for the platform owner's sessions.</summary>
    public Guid? TenantId { get; set; }

    public Guid? MemberId { get; set; }

    public byte[] Ticket { get; set; } = [];

    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>The cookie handlers' session store (<see cref="CookieAuthenticationOptions.SessionStore"/>), in PostgreSQL.</summary>
public sealed class MartenTicketStore(IDocumentStore store, TimeProvider time) : ITicketStore, ISessions
{
    public const string TenantClaim = "customerinfo:tenant";
    public const string MemberClaim = "customerinfo:member";

    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(8);

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        await using var session = store.LightweightSession();
        session.Store(ToDocument(key, ticket));
        await session.SaveChangesAsync();
        return key;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        await using var session = store.LightweightSession();
        session.Store(ToDocument(key, ticket));
        await session.SaveChangesAsync();
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        await using var session = store.QuerySession();
        var stored = await session.LoadAsync<ServerSession>(key);
        if (stored is null || stored.ExpiresAt <= time.GetUtcNow())
        {
            return null;
        }

        return TicketSerializer.Default.Deserialize(stored.Ticket);
    }

    public async Task RemoveAsync(string key)
    {
        await using var session = store.LightweightSession();
        session.Delete<ServerSession>(key);
        await session.SaveChangesAsync();
    }

    public void EndAllOf(IDocumentSession session, Guid tenantId, Guid memberId) =>
        session.DeleteWhere<ServerSession>(s => s.TenantId == tenantId && s.MemberId == memberId);

    public async Task EndAllOfAsync(Guid tenantId, Guid memberId, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        EndAllOf(session, tenantId, memberId);
        await session.SaveChangesAsync(cancellationToken);
    }

    private ServerSession ToDocument(string key, AuthenticationTicket ticket) => new()
    {
        Id = key,
        TenantId = Guid.TryParse(ticket.Principal.FindFirstValue(TenantClaim), out var tenant) ? tenant : null,
        MemberId = Guid.TryParse(ticket.Principal.FindFirstValue(MemberClaim), out var member) ? member : null,
        Ticket = TicketSerializer.Default.Serialize(ticket),
        ExpiresAt = ticket.Properties.ExpiresUtc ?? time.GetUtcNow() + DefaultLifetime,
    };
}
