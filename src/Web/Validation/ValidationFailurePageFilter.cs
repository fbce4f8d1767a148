using System.Reflection;
using CustomerInfo.Web.Resources;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerInfo.Web.Validation;

/// <summary>
/// Turns the validation behaviour's failures into ModelState errors on the bound command, and shows
/// the page again with what the user typed. The one place page validation errors come from.
/// </summary>
public sealed class ValidationFailurePageFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Exception is not ValidationException validation || executed.ExceptionHandled)
        {
            return;
        }

        var prefix = context.HandlerMethod?.MethodInfo.GetCustomAttribute<ValidationErrorsForAttribute>()?.Property
            ?? BoundPropertyName(context.HandlerInstance);
        foreach (var error in validation.Errors)
        {
            var key = string.IsNullOrEmpty(prefix) ? error.PropertyName : $"{prefix}.{error.PropertyName}";
            context.ModelState.AddModelError(key, ValidationText.For(error));
        }

        executed.ExceptionHandled = true;
        executed.Result = context.HandlerInstance is PageModel page ? page.Page() : new BadRequestResult();
    }

    private static string? BoundPropertyName(object page) =>
        page.GetType()
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => p.GetCustomAttribute<BindPropertyAttribute>() is not null)?.Name;
}
