using CustomerInfo.Application.Tenants.ListTenants;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.Web.Tenancy;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Web.Pages.Owner;

public sealed class IndexModel(ISender sender, IOptions<AppOptions> app) : PageModel
{
    public IReadOnlyList<Tenant> Stores { get; private set; } = [];

    public string RootDomain { get; } = app.Value.RootDomain;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Stores = await sender.Send(new ListTenantsQuery(), cancellationToken);

    public string StoreUrl(string identifier)
    {
        var port = Request.Host.Port is { } p ? ":" + p : "";
        return $"{Request.Scheme}://{identifier}.{RootDomain}{port}/";
    }
}
