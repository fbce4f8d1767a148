using CustomerInfo.Application.Common.Tenancy;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerInfo.Web.Pages.Store;

public sealed class IndexModel(ITenantContext tenant) : PageModel
{
    public string StoreName { get; } = tenant.RequiredTenant.Name;
}
