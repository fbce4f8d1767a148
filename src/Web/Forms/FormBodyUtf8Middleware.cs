using System.IO.Pipelines;
using CustomerInfo.Web.Abuse;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace CustomerInfo.Web.Forms;

/// <summary>
/// Repairs invalid UTF-8 in a posted urlencoded form before the form is read (<see cref="FormBodyUtf8"/>),
/// so a broken byte reaches the validator as U+FFFD, which it refuses with a message, instead of as
/// escape text it would store. A valid body is only scanned where the server already buffers it:
/// nothing is consumed, so the form reader reads the same bytes, never a copy. Only UTF-8 bodies
/// (what browsers send, with or without a charset): in another declared charset the bytes mean other things.
/// </summary>
public sealed class FormBodyUtf8Middleware(RequestDelegate next)
{
    /// <summary>Bodies up to the largest form we take; a larger one is refused by its page before it is read.</summary>
    private const long MaxBytes = RequestBodyLimitAttribute.SignUpFormBytes;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsPost(request.Method)
            && request.ContentLength is > 0 and <= MaxBytes
            && MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            && type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            && (type.Charset.Length == 0 || type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            await RepairAsync(request, context.RequestAborted);
        }

        await next(context);
    }

    private static async Task RepairAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var reader = request.BodyReader;
        ReadResult result;
        try
        {
            while (true)
            {
                result = await reader.ReadAsync(cancellationToken);
                if (result.IsCompleted || result.IsCanceled || result.Buffer.Length > MaxBytes)
                {
                    break;
                }

                reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException)
        {
            // A body cut short: the form reader meets the same and answers it as it always does.
            return;
        }

        var buffer = result.Buffer;
        if (!result.IsCompleted || FormBodyUtf8.IsValid(buffer))
        {
            reader.AdvanceTo(buffer.Start);
            return;
        }

        var repaired = FormBodyUtf8.Repair(buffer);
        reader.AdvanceTo(buffer.End);
        request.Body = new MemoryStream(repaired, writable: false);
        request.ContentLength = repaired.Length;

        // Servers that hand out their own body reader (the test server) would keep reading the old body.
        request.HttpContext.Features.Set<IRequestBodyPipeFeature>(new RequestBodyPipeFeature(request.HttpContext));
    }
}
