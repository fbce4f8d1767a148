using CustomerInfo.Application.Common.Tenancy;
namespace CustomerInfo.Application.Stores;

/// <summary>
/// The kiosk's lookup of the link a tablet was opened with. Every form view and sign-up asks, so
/// implementations cache per pod, and forget a tenant's links as soon as <see cref="ITenantChanges"/>
/// announces a change (a revoked link stops within seconds on every pod).
/// </summary>
public interface IKioskLinks
{
    /// <summary>The link and its store; null when the tenant has no link with this token (also a malformed one).</summary>
    ValueTask<KioskPlace?> FindAsync(Guid tenantId, string token, CancellationToken cancellationToken);
}

/// <summary>Where a tablet stands: the store its link belongs to, and whether either still takes sign-ups.</summary>
public sealed record KioskPlace(Guid LinkId, Guid StoreId, string StoreName, bool LinkRevoked, bool StoreClosed)
{
    public KioskLinkState State => LinkRevoked ? KioskLinkState.Revoked : StoreClosed ? KioskLinkState.StoreClosed : KioskLinkState.Live;
}

public enum KioskLinkState
{
    /// <summary>The tablet was opened without a kiosk link (the store's bare address).</summary>
    None,
    Live,
    Revoked,
    StoreClosed,

    /// <summary>A token this tenant never issued (made up, mistyped, or another tenant's).</summary>
    Unknown,
}

/// <summary>What a token names for a tenant: no link, an unknown one, or the place and its state.</summary>
public static class KioskLinkResolution
{
    public static async ValueTask<(KioskLinkState State, KioskPlace? Place)> ResolveAsync(this IKioskLinks links, Guid tenantId, string? token, CancellationToken cancellationToken)
    {
        // A blank hidden field is no link at all, as its absence is.
        if (string.IsNullOrWhiteSpace(token))
        {
            return (KioskLinkState.None, null);
        }

        var place = KioskTokens.IsWellFormed(token) ? await links.FindAsync(tenantId, token, cancellationToken) : null;
        return place is null ? (KioskLinkState.Unknown, null) : (place.State, place);
    }
}
