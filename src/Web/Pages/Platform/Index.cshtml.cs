using CustomerInfo.Web.Tenancy;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Web.Pages.Platform;

public sealed class IndexModel(IOptions<AppOptions> app) : PageModel
{
    public string RootDomain { get; } = app.Value.RootDomain;
}
