using CustomerInfo.Application.Common.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace CustomerInfo.Web.Security;

/// <summary>
/// A request the authorization behaviour refused: 403 for a member whose role is too low, 404 for
/// anyone from another tenant, so ids of another tenant's data are never confirmed.
/// </summary>
public sealed class AccessDeniedPageFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Exception is AccessDeniedException denied && !executed.ExceptionHandled)
        {
            executed.ExceptionHandled = true;
            executed.Result = new StatusCodeResult(denied.OtherTenant ? StatusCodes.Status404NotFound : StatusCodes.Status403Forbidden);
        }
    }
}
