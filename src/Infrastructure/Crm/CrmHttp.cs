using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CustomerInfo.Application.Crm;
using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.Infrastructure.Crm;

/// <summary>
/// One call to a CRM, read the careful way every connector needs: the body is read up to
/// <see cref="MaxBodyBytes"/> and no further (a CRM answering 10 MB costs 256 KB), a timeout or a
/// refused connection is an answer too, and <see cref="Classify"/> turns the status into a
/// <see cref="CrmResult"/> with the CRM's own words.
/// </summary>
internal static class CrmHttp
{
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>The buffer a body is first read into: CRMs answer a push with a few hundred bytes, or none.</summary>
    private const int FirstBufferBytes = 16 * 1024;

    public static async Task<CrmHttpAnswer> SendAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var (body, truncated) = await ReadBoundedAsync(response.Content, cancellationToken);
            return new CrmHttpAnswer(response.StatusCode, response.ReasonPhrase, response.Content.Headers.ContentType?.MediaType, body, truncated, RetryAfterOf(response.Headers.RetryAfter), null, response.Headers);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return CrmHttpAnswer.NoAnswer(CrmProblems.NoAnswerTimeout, client.Timeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture));
        }
        catch (HttpRequestException exception) when (exception.InnerException is Webhook.CrmTargetRefusedException refused)
        {
            return CrmHttpAnswer.NoAnswer(refused.Literal ? CrmProblems.TargetIsNotPublic : CrmProblems.TargetResolvesToNotPublic, refused.Network) with { TargetRefused = true };
        }
        catch (HttpRequestException exception)
        {
            return exception.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => CrmHttpAnswer.NoAnswer(CrmProblems.NoAnswerName),
                HttpRequestError.ConnectionError => CrmHttpAnswer.NoAnswer(CrmProblems.NoAnswerConnection),
                HttpRequestError.SecureConnectionError => CrmHttpAnswer.NoAnswer(CrmProblems.NoAnswerCertificate),
                HttpRequestError.ResponseEnded => CrmHttpAnswer.NoAnswer(CrmProblems.NoAnswerEnded),
                _ => CrmHttpAnswer.NoAnswer(CrmProblems.NoAnswerOther, exception.HttpRequestError.ToString()),
            };
        }
    }

    /// <summary>
    /// The body, up to <see cref="MaxBodyBytes"/>, into a pooled buffer that starts at
    /// <see cref="FirstBufferBytes"/> and grows only for a body that needs it. A fresh array of the
    /// whole limit per call (256 KB, on the large-object heap) made the worker allocate about
    /// 100 MB/s at 500 pushes/s and run a gen2 collection more than once a second, pausing the
    /// contact-linking daemon with it (bench scenario c, docs/benchmarks.md).
    /// </summary>
    private static async Task<(string Body, bool Truncated)> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        const int limit = MaxBodyBytes + 1;
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(FirstBufferBytes);
        try
        {
            var read = 0;
            while (read < limit)
            {
                if (read == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit));
                    buffer.AsSpan(0, read).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var count = await stream.ReadAsync(buffer.AsMemory(read, Math.Min(buffer.Length, limit) - read), cancellationToken);
                if (count == 0)
                {
                    break;
                }

                read += count;
            }

            return (Encoding.UTF8.GetString(buffer, 0, Math.Min(read, MaxBodyBytes)), read > MaxBodyBytes);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static TimeSpan? RetryAfterOf(RetryConditionHeaderValue? retryAfter) => retryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}

/// <summary>
/// A CRM's answer: its status and at most <see cref="CrmHttp.MaxBodyBytes"/> of its body, or, when it
/// did not answer, <see cref="Failure"/> saying why (a <see cref="CrmProblems"/> code, with <see cref="FailureDetail"/>).
/// </summary>
internal sealed record CrmHttpAnswer(
    HttpStatusCode? Status,
    string? ReasonPhrase,
    string? MediaType,
    string Body,
    bool Truncated,
    TimeSpan? RetryAfter,
    string? Failure,
    HttpResponseHeaders? Headers)
{
    public static CrmHttpAnswer NoAnswer(string code, string? detail = null) => new(null, null, null, string.Empty, false, null, code, null) { FailureDetail = detail };

    /// <summary>What the no-answer sentence names: the timeout's seconds, the refused address range, the request error.</summary>
    public string? FailureDetail { get; init; }

    /// <summary>
    /// The call was not made because the target is not allowed (a webhook host that resolves to a
    /// private address, Crm:AllowPrivateTargets off); <see cref="FailureDetail"/> is the address range.
    /// Retrying cannot help, so it is refused.
    /// </summary>
    public bool TargetRefused { get; init; }

    public bool IsSuccess => Status is { } status && (int)status is >= 200 and < 300;

    /// <summary>JSON, problem+json, JSON:API: any media type that ends in "json".</summary>
    public bool IsJson => MediaType is { } type && type.EndsWith("json", StringComparison.OrdinalIgnoreCase);

    /// <summary>The body as JSON, or null when it is not JSON, is cut short, or does not parse.</summary>
    public JsonDocument? Json()
    {
        if (Truncated || string.IsNullOrWhiteSpace(Body))
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(Body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// What this answer means for a push. A success that is not the JSON the caller
    /// <paramref name="expectsJson"/> counts as nonsense (try later). <paramref name="message"/>
    /// takes the CRM's error text out of its JSON error body (each vendor has its own shape);
    /// the reason is a <see cref="CrmProblem"/> of the CRM <paramref name="kind"/> ("HubSpot answered 400 Bad Request: …"
    /// in English), its CRM's text cleaned of <paramref name="sensitive"/> values and any personal data.
    /// </summary>
    public CrmResult Classify(string kind, bool expectsJson, Func<JsonElement, string?> message, params IEnumerable<string?> sensitive) =>
        Classify(kind, null, expectsJson, message, sensitive);

    /// <summary>As the other, for the webhook at <paramref name="host"/>, which the reason names.</summary>
    public CrmResult Classify(string kind, string? host, bool expectsJson, Func<JsonElement, string?> message, params IEnumerable<string?> sensitive)
    {
        var secrets = sensitive.ToList();
        var frame = new CrmProblem(string.Empty, kind, Host: host is null ? null : CrmReason.Clean(host, secrets));
        if (TargetRefused)
        {
            // Our own words, naming a range (10.0.0.0/8), never the host's details or a secret; Clean would take the range for a number.
            return CrmResult.Refused(frame with { Code = Failure!, Detail = FailureDetail });
        }

        if (Failure is not null)
        {
            return CrmResult.TryLater(frame with { Code = Failure, Detail = FailureDetail is null ? null : CrmReason.Clean(FailureDetail, secrets) });
        }

        var status = (int)Status!.Value;
        if (IsSuccess)
        {
            return expectsJson && (!IsJson || Truncated || Json() is null)
                ? CrmResult.TryLater(Oddity(frame with { Status = status }, secrets))
                : CrmResult.Done();
        }

        // The phrase and the media type are the CRM's too: cleaned as its text is.
        var problem = Said(frame with { Status = status, StatusPhrase = string.IsNullOrWhiteSpace(ReasonPhrase) ? null : CrmReason.Clean(ReasonPhrase, secrets) }, message, secrets);
        return status switch
        {
            401 or 403 => CrmResult.BadCredentials(problem),
            408 or 423 or 425 or 429 or >= 500 => CrmResult.TryLater(problem, RetryAfter),
            _ => CrmResult.Refused(problem),
        };
    }

    private CrmProblem Said(CrmProblem frame, Func<JsonElement, string?> message, IReadOnlyList<string?> sensitive)
    {
        if (Truncated)
        {
            return frame with { Code = CrmProblems.AnsweredTooLarge, Detail = (CrmHttp.MaxBodyBytes / 1024).ToString(CultureInfo.InvariantCulture) };
        }

        string? text = null;
        if (IsJson)
        {
            using var json = Json();
            text = json is null ? null : message(json.RootElement);
        }
        else if (MediaType is "text/plain" && !string.IsNullOrWhiteSpace(Body))
        {
            text = Body.Length <= 200 ? Body : Body[..200] + "…";
        }
        else if (IsHtml)
        {
            return frame with { Code = CrmProblems.AnsweredHtml };
        }

        return frame with { Code = CrmProblems.Answered, CrmText = string.IsNullOrWhiteSpace(text) ? null : CrmReason.Clean(text, sensitive) };
    }

    private bool IsHtml => MediaType is { } type && type.Contains("html", StringComparison.OrdinalIgnoreCase);

    private CrmProblem Oddity(CrmProblem frame, IReadOnlyList<string?> sensitive) => Truncated
        ? frame with { Code = CrmProblems.NotJsonTooLarge, Detail = (CrmHttp.MaxBodyBytes / 1024).ToString(CultureInfo.InvariantCulture) }
        : IsHtml ? frame with { Code = CrmProblems.NotJsonHtml }
        : string.IsNullOrEmpty(MediaType) ? frame with { Code = CrmProblems.NotJsonNoType }
        : frame with { Code = CrmProblems.NotJson, Detail = CrmReason.Clean(MediaType, sensitive) };
}
