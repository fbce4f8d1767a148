using CustomerInfo.Domain.Tenants;

namespace CustomerInfo.Web.Tenancy;

/// <summary>
/// A store whose kiosk is closed (email not confirmed, trial over, suspended, canceled): not the
/// request's tenant, so none of its data is served, but its unavailable page speaks the store's language.
/// </summary>
public sealed record ClosedStoreFeature(Tenant Tenant);
