using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace CustomerInfo.Web.Abuse;

/// <summary>
/// Refuses a request body larger than <see cref="Bytes"/> with 413 before anything reads it (it runs
/// before antiforgery, which reads the form). A declared Content-Length is checked here; a body
/// without one (chunked) is looked at here up to the limit, and the server's own limit is lowered to
/// it where the server has one: past the limit a read fails, and antiforgery would report that as 400.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class RequestBodyLimitAttribute(long bytes) : Attribute, IAsyncAuthorizationFilter, IOrderedFilter
{
    /// <summary>
    /// The sign-up form: every field at its longest, percent-encoded, is far below this; a
    /// 10,000-character name still fits, so it is refused by the validator with a clear message.
    /// </summary>
    public const long SignUpFormBytes = 64 * 1024;

    /// <summary>The owner's sign-in and sign-out forms: an email, a password and the antiforgery token.</summary>
    public const long OwnerFormBytes = 16 * 1024;

    /// <summary>
    /// The form builder: 30 questions of 20 options, each label 200 characters in every language and
    /// percent-encoded, fit; 200 questions still fit, so they are refused by the rules with a clear message.
    /// </summary>
    public const long FormBuilderBytes = 1024 * 1024;

    public long Bytes { get; } = bytes;

    /// <summary>
    /// Where a refused request is sent instead of a bare 413 (a page that says why, such as the
    /// import's upload page); null: 413. The body is still never read.
    /// </summary>
    public string? RefusedRedirect { get; init; }

    /// <summary>Before the antiforgery filter (order 1000), which reads the body.</summary>
    public int Order => -1000;

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        var http = context.HttpContext;
        if (http.Request.ContentLength > Bytes)
        {
            context.Result = Refused();
            return;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = Bytes;
        }

        if (http.Request.ContentLength is null && http.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: true }
            && await IsLongerThanLimitAsync(http))
        {
            context.Result = Refused();
        }
    }

    private IActionResult Refused() =>
        RefusedRedirect is null ? new StatusCodeResult(StatusCodes.Status413PayloadTooLarge) : new RedirectResult(RefusedRedirect);

    /// <summary>Reads up to the limit without consuming, so the form reader still gets every byte.</summary>
    private async Task<bool> IsLongerThanLimitAsync(HttpContext http)
    {
        var reader = http.Request.BodyReader;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await reader.ReadAsync(http.RequestAborted);
            }
            catch (BadHttpRequestException refused) when (refused.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return true;
            }

            if (result.Buffer.Length > Bytes || result.IsCompleted || result.IsCanceled)
            {
                reader.AdvanceTo(result.Buffer.Start);
                return result.Buffer.Length > Bytes;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
