namespace CustomerInfo.Web.Hosting;

/// <summary>
/// The Hangfire dashboard parses the job id of <c>/hangfire/jobs/details/{id}</c> as a number and throws
/// on anything else (a 500). An id that is not a number is no job: this answers 404 before the dashboard.
/// </summary>
public sealed class HangfireJobIdGuard(RequestDelegate next)
{
    public const string DetailsPath = "/hangfire/jobs/details";

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(DetailsPath, StringComparison.OrdinalIgnoreCase, out var rest)
            && rest.Value?.Trim('/') is var id && (string.IsNullOrEmpty(id) || !id.All(char.IsAsciiDigit) || id.Length > 19))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return next(context);
    }
}
