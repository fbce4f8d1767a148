using System.Globalization;
using System.Text.Encodings.Web;
using CustomerInfo.Application.Common;
using CustomerInfo.Web.Localization;
using CustomerInfo.Web.Resources;
using CustomerInfo.Web.Security;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Localization;

namespace CustomerInfo.Web.Hosting;

/// <summary>
/// A request that failed because the database could not serve it for now (restarting, unreachable,
/// out of connections, the pool exhausted; <see cref="PostgresErrors.IsUnavailable"/>) answers
/// 503 with <c>Retry-After</c>, not a 500: nothing is wrong with the request, and the kiosk's queue
/// keeps the sign-up and sends it again with the same submission id (ADR 7). Found by the
/// postgres-restart and pool-exhausted drills (ADR 28). Every other failure goes on to the error page.
/// The answer needs nothing of the database: a small page (plain text for a request that does not
/// ask for HTML) in the language the request was being served in, else the browser's (en or nl).
/// </summary>
public sealed partial class DatabaseUnavailable(RequestDelegate next, ILogger<DatabaseUnavailable> logger)
{
    public const int RetryAfterSeconds = 5;

    private const string Style = "body{margin:0;font:1.125rem/1.5 system-ui,sans-serif;color:#1f2933;background:#f5f7fa}"
        + "main{max-width:32rem;margin:15vh auto;padding:2rem;background:#fff;border-radius:.75rem;box-shadow:0 1px 4px rgba(0,0,0,.12)}"
        + "h1{font-size:1.5rem;margin:0 0 .5rem}p{margin:0}";

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (PostgresErrors.IsUnavailable(exception) && !context.Response.HasStarted)
        {
            LogUnavailable(context.Request.Method, exception.GetType().Name);
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers.CacheControl = "no-store";
            await WriteAsync(context);
        }
    }

    private static async Task WriteAsync(HttpContext context)
    {
        var language = LanguageOf(context);
        var culture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
        try
        {
            var text = context.RequestServices?.GetService<IStringLocalizer<StatusText>>();
            var title = text?["Title503"].Value ?? "Back in a moment";
            var explanation = text?["Text503"].Value ?? "The service is busy or restarting. Please try again in a few seconds.";
            if (!AsksForHtml(context.Request))
            {
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync($"{title}. {explanation}", context.RequestAborted);
                return;
            }

            var html = HtmlEncoder.Default;
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(
                $"<!DOCTYPE html><html lang=\"{language}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + $"<meta http-equiv=\"refresh\" content=\"{RetryAfterSeconds * 2}\"><title>{html.Encode(title)}</title><style>{SecurityHeaders.AllowInlineStyle(context, Style)}</style></head>"
                + $"<body><main><h1>{html.Encode(title)}</h1><p>{html.Encode(explanation)}</p></main></body></html>",
                context.RequestAborted);
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
        }
    }

    /// <summary>The language the request was being served in, when localization had run; else the browser's first of en and nl; else English.</summary>
    private static string LanguageOf(HttpContext context)
    {
        var served = context.Features.Get<IRequestCultureFeature>()?.RequestCulture.UICulture.TwoLetterISOLanguageName;
        if (served is not null && StoreLanguageProvider.RetailerLanguages.Contains(served))
        {
            return served;
        }

        var asked = context.Request.GetTypedHeaders().AcceptLanguage
            .Where(l => l.Quality is null or > 0)
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.Value?.Split('-')[0].ToLowerInvariant())
            .FirstOrDefault(l => l is not null && StoreLanguageProvider.RetailerLanguages.Contains(l));
        return asked ?? "en";
    }

    private static bool AsksForHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Method} request found the database unavailable ({Error}): answered 503")]
    private partial void LogUnavailable(string method, string error);
}
