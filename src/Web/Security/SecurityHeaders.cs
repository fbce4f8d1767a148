using System.Security.Cryptography;
using System.Text;
using NetEscapades.AspNetCore.SecurityHeaders;
using NetEscapades.AspNetCore.SecurityHeaders.Infrastructure;

namespace CustomerInfo.Web.Security;

/// <summary>
/// The headers every response carries (issue 14 §2), set by NetEscapades.AspNetCore.SecurityHeaders
/// just before the response starts, whatever produced it: pages, status pages, static files,
/// health, the brand logo, Hangfire. Scripts run only from this origin's files, or with the
/// response's nonce; inline styles only with the response's nonce or the hash of their text (the
/// kiosk's brand colours: its empty form is cached without a nonce, ADR 9); style attributes
/// never. No page may be framed except the form builder's preview, by this origin.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The form builder's preview: framed by the form builder, on this origin only.</summary>
    public const string FramedBySelfPolicy = "framed-by-self";

    /// <summary>Hangfire's dashboard: its own markup sets style attributes and inline styles.</summary>
    public const string HangfireDashboardPolicy = "hangfire-dashboard";

    private const int OneYear = 365 * 24 * 60 * 60;

    public static IServiceCollection AddSecurityHeaders(this IServiceCollection services, IHostEnvironment environment)
    {
        var hsts = environment.IsProduction();
        services.AddSecurityHeaderPolicies()
            .SetDefaultPolicy(policy => Common(policy, hsts, FrameAncestors.None))
            .AddPolicy(FramedBySelfPolicy, policy => Common(policy, hsts, FrameAncestors.Self))
            .AddPolicy(HangfireDashboardPolicy, policy => Common(policy, hsts, FrameAncestors.None, hangfire: true));

        // One framing rule, from the policies above: antiforgery would add X-Frame-Options SAMEORIGIN
        // only to responses that set a fresh antiforgery cookie.
        services.AddAntiforgery(options =>
        {
            options.SuppressXFrameOptionsHeader = true;
            // Secure whenever the request is https: behind the ingress, when X-Forwarded-Proto says so
            // (known networks). Not Always: a misconfigured proxy range would then make every form a 500
            // instead of a cookie without the flag.
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return services;
    }

    /// <summary>
    /// Allows an inline <c>style</c> element with exactly this text on this response, by its SHA-256
    /// hash, and returns the text. For markup kept and served again without rendering (the kiosk's
    /// empty form), where a per-response nonce cannot be.
    /// </summary>
    public static string AllowInlineStyle(HttpContext context, string css)
    {
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(css)));
        context.SetStylesCSPHash(CSPHashType.SHA256, hash);
        if (context.Items[AllowedStylesKey] is not List<string> allowed)
        {
            context.Items[AllowedStylesKey] = allowed = [];
        }

        allowed.Add(css);
        return css;
    }

    /// <summary>The inline styles allowed on this response so far (to allow them again where the markup is reused).</summary>
    public static IReadOnlyList<string> AllowedInlineStyles(HttpContext context) =>
        context.Items[AllowedStylesKey] as List<string> ?? [];

    private const string AllowedStylesKey = "customerinfo:allowed-inline-styles";

    private enum FrameAncestors
    {
        None,
        Self,
    }

    private static void Common(HeaderPolicyCollection policy, bool hsts, FrameAncestors frameAncestors, bool hangfire = false)
    {
        policy.AddContentTypeOptionsNoSniff();
        // Full URLs to this origin only: a kiosk link's path is its secret (ADR 15), admin URLs name records.
        policy.AddReferrerPolicySameOrigin();
        policy.AddPermissionsPolicyWithDefaultSecureDirectives();
        policy.AddCrossOriginOpenerPolicy(coop => coop.SameOrigin());
        if (frameAncestors == FrameAncestors.Self)
        {
            policy.AddFrameOptionsSameOrigin();
        }
        else
        {
            policy.AddFrameOptionsDeny();
        }

        if (hsts)
        {
            // Only on https responses (the library checks); every tenant is a subdomain under the one certificate.
            policy.AddStrictTransportSecurityMaxAgeIncludeSubDomains(OneYear);
        }

        policy.AddContentSecurityPolicy(csp =>
        {
            csp.AddDefaultSrc().Self();
            csp.AddObjectSrc().None();
            csp.AddBaseUri().None();
            csp.AddScriptSrc().Self().WithNonce();
            csp.AddScriptSrcAttr().None();
            if (hangfire)
            {
                // Hangfire's pages come with style attributes (progress bars, hidden rows) and an
                // inline <style>; their scripts are files under /hangfire, so scripts stay strict.
                csp.AddStyleSrc().Self().UnsafeInline();
            }
            else
            {
                csp.AddStyleSrc().Self().WithNonce().WithHashTagHelper();
                csp.AddStyleSrcAttr().None();
            }

            // Brand logos are served by this origin; the kiosk's select arrow is a data: SVG in kiosk.css.
            csp.AddImgSrc().Self().Data();
            csp.AddFontSrc().Self();
            csp.AddConnectSrc().Self();
            // The kiosk's offline queue (sw.js); the form builder frames its preview.
            csp.AddWorkerSrc().Self();
            csp.AddFrameSrc().Self();
            csp.AddManifestSrc().Self();
            if (frameAncestors == FrameAncestors.Self)
            {
                csp.AddFrameAncestors().Self();
            }
            else
            {
                csp.AddFrameAncestors().None();
            }

            // No form-action: forms post here, but their answers go on to Stripe's hosted pages
            // (billing) and to a new store's own host (sign-up), which Chromium checks too.
        });
    }
}
