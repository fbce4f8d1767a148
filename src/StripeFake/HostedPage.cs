using System.Net;
using Microsoft.AspNetCore.Http;

namespace CustomerInfo.StripeFake;

/// <summary>
/// The plain HTML of the fake's hosted pages (Checkout, the Portal): a heading, what the page is
/// about, and forms whose buttons a person or a browser test clicks. Accessible on purpose (one
/// language, labelled landmarks, visible focus, dark-on-light text) so clicking through is easy.
/// </summary>
internal static class HostedPage
{
    private const string Style =
        "body{font:1rem/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff;max-width:40rem;margin:2rem auto;padding:0 1rem}"
        + "table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #767676;padding:.25rem .5rem;text-align:left}"
        + "form{display:inline-block;margin:0 .5rem .5rem 0}button{font:inherit;padding:.5rem 1rem;border:2px solid #1a1a1a;background:#f2f2f2;color:#1a1a1a;border-radius:4px;cursor:pointer}"
        + "button.primary{background:#0b4f9c;border-color:#0b4f9c;color:#fff}button:focus-visible{outline:3px solid #b35c00;outline-offset:2px}"
        + "[role=alert]{border-left:4px solid #a30000;padding:.5rem 1rem;background:#fdecec}.note{color:#4a4a4a}";

    public static IResult Render(string title, string body, int status = StatusCodes.Status200OK) =>
        Results.Content(
            $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + $"<title>{Encode(title)} · Stripe fake</title><style>{Style}</style></head>"
            + $"<body><main><h1>{Encode(title)}</h1>{body}<p class=\"note\">This is CustomerInfo's loopback Stripe fake: no money moves.</p></main></body></html>",
            "text/html; charset=utf-8",
            statusCode: status);

    /// <summary>A form with one button that POSTs to <paramref name="action"/>.</summary>
    public static string Button(string action, string label, bool primary = false) =>
        $"<form method=\"post\" action=\"{Encode(action)}\"><button type=\"submit\"{(primary ? " class=\"primary\"" : "")}>{Encode(label)}</button></form>";

    public static string Alert(string message) => $"<p role=\"alert\">{Encode(message)}</p>";

    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    /// <summary>A 303 to <paramref name="url"/>, as Stripe's pages send the customer back.</summary>
    public static IResult SeeOther(string url) => new SeeOtherResult(url);

    private sealed class SeeOtherResult(string url) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = url;
            return Task.CompletedTask;
        }
    }
}
