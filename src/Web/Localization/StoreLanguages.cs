using System.Globalization;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.SignUps;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Web.Tenancy;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.WebUtilities;

namespace CustomerInfo.Web.Localization;

/// <summary>
/// The language of a page. A store page: <c>?lang=</c> when the shopper picked one the form offers,
/// else the store's default. A status page (too many tries, too large, no store here, store
/// unavailable, …): the same, where a store is known (a closed one too), else what the browser
/// asks for (Accept-Language), else English. The other platform pages stay English.
/// </summary>
public sealed class StoreLanguageProvider : RequestCultureProvider
{
    public const string StatusPages = "/status";

    /// <summary>The languages of the retailer's side: the admin, the sign-up and sign-in pages and the mails.</summary>
    public static readonly IReadOnlyList<string> RetailerLanguages = ["en", "nl"];

    /// <summary>Pages for retailers rather than shoppers: <c>?lang=</c>, else the browser's language, else English.</summary>
    private static readonly string[] RetailerPages = ["/admin", "/start", "/signin", "/pricing"];

    /// <summary>
    /// The culture dates and numbers are written in for a language: English as in Britain (3 December
    /// 2026 is "03/12/2026", never the American "12/3/2026" a European retailer would misread);
    /// the others as their neutral culture. The words stay the language's own (UI culture "en").
    /// </summary>
    public static string FormattingCulture(string language) => language == "en" ? "en-GB" : language;

    public override async Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext) =>
        await LanguageAsync(httpContext) is { } language ? new ProviderCultureResult(FormattingCulture(language), language) : null;

    private static async Task<string?> LanguageAsync(HttpContext httpContext)
    {
        if (RetailerPages.Any(page => httpContext.Request.Path.StartsWithSegments(page, StringComparison.OrdinalIgnoreCase)))
        {
            var askedHere = AskedLanguage(httpContext);
            return askedHere is not null && RetailerLanguages.Contains(askedHere) ? askedHere : BrowserLanguage(httpContext.Request, RetailerLanguages) ?? "en";
        }

        var status = httpContext.Request.Path.StartsWithSegments(StatusPages, StringComparison.OrdinalIgnoreCase);
        var tenant = httpContext.RequestServices.GetRequiredService<ITenantContext>().Tenant
            ?? (status ? httpContext.Features.Get<ClosedStoreFeature>()?.Tenant : null);
        var asked = AskedLanguage(httpContext);
        if (tenant is not null)
        {
            var definition = await httpContext.RequestServices.GetRequiredService<FormDefinitions>().CurrentAsync(tenant, httpContext.RequestAborted);
            return FormLanguages.OrDefault(asked, definition);
        }

        return status ? (FormLanguages.IsOffered(asked) ? asked : null) ?? BrowserLanguage(httpContext.Request, FormLanguages.All) : null;
    }

    /// <summary>
    /// <c>?lang=</c> of the request; for an error page shown in place of a request (the 429 or 413
    /// of a sign-up), that request's, since the status-code pages replace the query.
    /// </summary>
    private static string? AskedLanguage(HttpContext httpContext)
    {
        var query = httpContext.Features.Get<IStatusCodeReExecuteFeature>() is { } reExecuted
            ? QueryHelpers.ParseNullableQuery(reExecuted.OriginalQueryString)?.GetValueOrDefault("lang") ?? default
            : httpContext.Request.Query["lang"];
        return query.FirstOrDefault();
    }

    /// <summary>
    /// The first language the browser asks for (by its q-values, then its order) that we have.
    /// Not ASP.NET Core's AcceptLanguageHeaderRequestCultureProvider: it keeps languages marked
    /// q=0 ("not acceptable"), and a test checks that such a language is not chosen.
    /// </summary>
    private static string? BrowserLanguage(HttpRequest request, IEnumerable<string> offered) =>
        request.GetTypedHeaders().AcceptLanguage
            .Where(l => l.Quality is null or > 0)
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.Value?.Split('-')[0].ToLowerInvariant())
            .FirstOrDefault(l => l is not null && offered.Contains(l));
}

public static class StoreLanguages
{
    public static IServiceCollection AddStoreLanguages(this IServiceCollection services)
    {
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            var languages = FormLanguages.All.Select(CultureInfo.GetCultureInfo).ToList();
            options.DefaultRequestCulture = new RequestCulture(StoreLanguageProvider.FormattingCulture("en"), "en");
            options.SupportedCultures = FormLanguages.All.Select(StoreLanguageProvider.FormattingCulture).Select(CultureInfo.GetCultureInfo).ToList();
            options.SupportedUICultures = languages;
            options.RequestCultureProviders = [new StoreLanguageProvider()];
        });
        return services;
    }
}
