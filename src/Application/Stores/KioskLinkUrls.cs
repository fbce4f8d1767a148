using CustomerInfo.Application.Common;

namespace CustomerInfo.Application.Stores;

/// <summary>The address a kiosk link opens: <c>https://{sub}.{root}/k/{token}</c>.</summary>
public static class KioskLinkUrls
{
    public static Uri For(ISiteLinks links, string tenantIdentifier, string token) => links.Store(tenantIdentifier, $"/k/{token}");
}
