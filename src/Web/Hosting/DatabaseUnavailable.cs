using CustomerInfo.Application.Common;

namespace CustomerInfo.Web.Hosting;

/// <summary>
/// A request that failed because the database could not serve it for now (restarting, unreachable,
/// out of connections, the pool exhausted; <see cref="PostgresErrors.IsUnavailable"/>) answers
/// 503 with <c>Retry-After</c>, not a 500: nothing is wrong with the request, and the kiosk's queue
/// keeps the sign-up and sends it again with the same submission id (ADR 7). Found by the
/// postgres-restart and pool-exhausted drills (ADR 28). Every other failure goes on to the error page.
/// </summary>
public sealed partial class DatabaseUnavailable(RequestDelegate next, ILogger<DatabaseUnavailable> logger)
{
    public const int RetryAfterSeconds = 5;

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
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.Headers.CacheControl = "no-store";
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("The service is unavailable for a moment. Please try again in a few seconds.", context.RequestAborted);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Method} request found the database unavailable ({Error}): answered 503")]
    private partial void LogUnavailable(string method, string error);
}
