using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Web.Pages.Store;

/// <summary>
/// The antiforgery request token of a kiosk's kept form, given again to the tablet that sent the same
/// antiforgery cookie (ADR 32). ASP.NET Core's request tokens are not single-use: any token made for a
/// cookie stays valid with that cookie, so a new one per form only costs a decryption of the cookie
/// and an encryption of the token. A token is kept only for a cookie the antiforgery service has just
/// accepted (it made no new cookie) on an anonymous request, and only returned to a request that sends
/// that very cookie, which is all it would take to get a new one. At most <see cref="Capacity"/>
/// cookies are remembered, for <see cref="Lifetime"/> each; beyond that, tokens are made as before.
/// The other way round, a (cookie, request token) pair the antiforgery service accepted on an anonymous
/// sign-up is remembered the same way (ADR 35): its answer depends on nothing but the two strings and
/// the Data Protection keys, so the next anonymous post of that very pair is accepted without
/// decrypting both again.
/// </summary>
public sealed class KioskRequestTokens(IAntiforgery antiforgery, IOptions<AntiforgeryOptions> options) : IDisposable
{
    /// <summary>Far more tablets than one web pod serves; a flood of minted cookies only fills it.</summary>
    internal const int Capacity = 10_000;

    /// <summary>Short beside Data Protection's key lifetime: a revoked key's tokens stop being given out soon.</summary>
    internal static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly MemoryCache tokens = new(new MemoryCacheOptions { SizeLimit = Capacity });

    private readonly MemoryCache accepted = new(new MemoryCacheOptions { SizeLimit = Capacity });

    /// <summary>This request's request token; the cookie is set (by the antiforgery service) when the tablet has none or a bad one.</summary>
    public string For(HttpContext http)
    {
        var cookie = options.Value.Cookie.Name is { } name ? http.Request.Cookies[name] : null;
        var anonymous = http.User.Identity?.IsAuthenticated != true;
        if (anonymous && cookie is not null && tokens.TryGetValue(cookie, out string? kept))
        {
            return kept!;
        }

        var made = antiforgery.GetAndStoreTokens(http);
        if (anonymous && cookie is not null && made.CookieToken is null)
        {
            tokens.Set(cookie, made.RequestToken!, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
        }

        return made.RequestToken!;
    }

    /// <summary>
    /// Whether this post passes the antiforgery check the page's filter makes, for a request whose form
    /// has been read. A pair the service accepted on an anonymous request is remembered, and accepted
    /// again only for an anonymous request that sends the same cookie and the same single form token
    /// (no token header, which the service would read instead). Everything else asks the service.
    /// </summary>
    public async Task<bool> IsValidAsync(HttpContext http, IFormCollection form)
    {
        var request = http.Request;
        var cookie = options.Value.Cookie.Name is { } name ? request.Cookies[name] : null;
        var field = options.Value.FormFieldName;
        var rememberable = http.User.Identity?.IsAuthenticated != true
            && !string.IsNullOrEmpty(cookie)
            && (options.Value.HeaderName is not { } header || !request.Headers.ContainsKey(header))
            && form[field] is { Count: 1 } sent && !string.IsNullOrEmpty(sent[0]);
        var pair = rememberable ? (cookie!, form[field][0]!) : default;
        if (rememberable && accepted.TryGetValue(pair, out _))
        {
            return true;
        }

        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return false;
        }

        if (rememberable)
        {
            accepted.Set(pair, true, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
        }

        return true;
    }

    /// <summary>How many cookies have a token kept (for tests).</summary>
    internal int Remembered => tokens.Count;

    /// <summary>How many (cookie, token) pairs are remembered as accepted (for tests).</summary>
    internal int RememberedAccepted => accepted.Count;

    public void Dispose()
    {
        tokens.Dispose();
        accepted.Dispose();
    }
}
