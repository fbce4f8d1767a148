using CustomerInfo.Application.Common.Tenancy;
using Microsoft.AspNetCore.Routing.Matching;

namespace CustomerInfo.Web.Tenancy;

public enum Site
{
    /// <summary>The apex: landing, onboarding, owner console, Hangfire.</summary>
    Platform,

    /// <summary>A store's subdomain: the sign-up form and the retailer's admin.</summary>
    Store,
}

/// <summary>Endpoint metadata: this endpoint exists only on the platform host or only on store hosts.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class SiteAttribute(Site site) : Attribute
{
    public Site Site { get; } = site;
}

/// <summary>
/// Lets the platform and the stores both own a route such as <c>/</c>: an endpoint marked for one
/// site does not match on the other, so a store host can never reach the owner console or Hangfire.
/// </summary>
public sealed class SiteMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(e => e.Metadata.GetMetadata<SiteAttribute>() is not null);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var site = httpContext.RequestServices.GetRequiredService<ITenantContext>().Tenant is null ? Site.Platform : Site.Store;
        for (var i = 0; i < candidates.Count; i++)
        {
            var required = candidates[i].Endpoint.Metadata.GetMetadata<SiteAttribute>();
            if (required is not null && required.Site != site)
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}
