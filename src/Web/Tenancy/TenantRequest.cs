namespace CustomerInfo.Web.Tenancy;

/// <summary>What a request's host asks for: the platform itself, a store, or nothing we serve.</summary>
public readonly record struct TenantRequest(TenantRequestKind Kind, string? Identifier = null)
{
    public static readonly TenantRequest Platform = new(TenantRequestKind.Platform);
    public static readonly TenantRequest NotFound = new(TenantRequestKind.NotFound);

    public static TenantRequest Store(string identifier) => new(TenantRequestKind.Store, identifier);
}

public enum TenantRequestKind
{
    Platform,
    Store,
    NotFound,
}

/// <summary>How a request names its tenant. The product uses the host; an API could add a header strategy.</summary>
public interface ITenantStrategy
{
    TenantRequest Resolve(HttpContext context);
}
