using System.Globalization;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.SignUps;
using CustomerInfo.Application.SignUps.GetSignUpForm;
using Microsoft.AspNetCore.Localization;

namespace CustomerInfo.Web.Localization;

/// <summary>
/// The language of a store page: <c>?lang=</c> when the shopper picked one the form offers, else the
/// store's default. The platform pages stay English.
/// </summary>
public sealed class StoreLanguageProvider : RequestCultureProvider
{
    public override async Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
    {
        var tenant = httpContext.RequestServices.GetRequiredService<ITenantContext>().Tenant;
        if (tenant is null)
        {
            return null;
        }

        var definition = await httpContext.RequestServices.GetRequiredService<FormDefinitions>().CurrentAsync(tenant, httpContext.RequestAborted);
        return new ProviderCultureResult(GetSignUpFormHandler.LanguageOrDefault(httpContext.Request.Query["lang"].FirstOrDefault(), definition));
    }
}

public static class StoreLanguages
{
    public static IServiceCollection AddStoreLanguages(this IServiceCollection services)
    {
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            var cultures = GetSignUpFormHandler.Languages.Select(CultureInfo.GetCultureInfo).ToList();
            options.DefaultRequestCulture = new RequestCulture("en");
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            options.RequestCultureProviders = [new StoreLanguageProvider()];
        });
        return services;
    }
}
