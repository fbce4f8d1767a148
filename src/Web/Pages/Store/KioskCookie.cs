namespace CustomerInfo.Web.Pages.Store;

/// <summary>
/// The kiosk link a tablet was opened with (<c>/k/{token}</c>), kept in a cookie of the store's host so
/// the bare form address (<c>/</c>, which the offline copy is kept under) knows its store after a
/// restart. HttpOnly: the page's script has no use for it. It is kept when the link is revoked, so the
/// tablet keeps saying so instead of quietly taking sign-ups for no store.
/// </summary>
public static class KioskCookie
{
    public const string Name = "ci_kiosk";

    /// <summary>Browsers keep a cookie for at most 400 days; scanning the code again renews it.</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(400);

    /// <summary>The token as the tablet sent it, malformed or not: a tampered cookie is an unknown link, not "no link".</summary>
    public static string? Read(HttpRequest request) =>
        request.Cookies.TryGetValue(Name, out var token) && !string.IsNullOrEmpty(token) ? token : null;

    public static void Write(HttpResponse response, string token) =>
        response.Cookies.Append(Name, token, new CookieOptions
        {
            HttpOnly = true,
            Secure = response.HttpContext.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            MaxAge = Lifetime,
            IsEssential = true,
        });
}
