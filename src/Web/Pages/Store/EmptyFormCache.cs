using System.Globalization;
using System.Text;
using CustomerInfo.Application.SignUps.GetSignUpForm;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Caching.Memory;

namespace CustomerInfo.Web.Pages.Store;

/// <summary>
/// The empty sign-up form is the same page for every shopper of a store, form version, language
/// and kiosk link, except for two values: its submission id and its antiforgery token. The page is
/// rendered once, kept with holes where those two go, and filled in for each request (ADR 9).
/// Only an empty form is kept: a form shown again with what a shopper typed is never cached, and
/// the browser still caches nothing (<c>Cache-Control: no-store</c>).
/// </summary>
public sealed class EmptyFormCache(IMemoryCache cache, IAntiforgery antiforgery) : IAsyncResultFilter
{
    /// <summary>As long as the store lookup is cached: a renamed or rebranded store shows within it.</summary>
    internal static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    public async Task OnResultExecutionAsync(ResultExecutingContext context, ResultExecutionDelegate next)
    {
        if (context.Result is not PageResult || context.Controller is not IndexModel { EmptyFormKey: { } key } page)
        {
            await next();
            return;
        }

        var http = context.HttpContext;
        var token = antiforgery.GetAndStoreTokens(http).RequestToken!;
        var submissionId = page.Command.SubmissionId!.Value.ToString();
        if (cache.TryGetValue(key, out FormTemplate? template))
        {
            // Its inline style was allowed by hash when it was rendered: allow it on this response too.
            foreach (var style in template!.InlineStyles)
            {
                Security.SecurityHeaders.AllowInlineStyle(http, style);
            }

            context.Result = new ContentResult
            {
                Content = template.Fill(token, submissionId),
                ContentType = "text/html; charset=utf-8",
                StatusCode = StatusCodes.Status200OK,
            };
            await next();
            return;
        }

        var body = http.Response.Body;
        using var rendered = new MemoryStream();
        http.Response.Body = rendered;
        try
        {
            await next();
        }
        finally
        {
            http.Response.Body = body;
        }

        var html = Encoding.UTF8.GetString(rendered.GetBuffer(), 0, (int)rendered.Length);
        if (http.Response.StatusCode == StatusCodes.Status200OK && FormTemplate.TryCut(html, token, submissionId, Security.SecurityHeaders.AllowedInlineStyles(http)) is { } cut)
        {
            cache.Set(key, cut, Lifetime);
        }

        rendered.Position = 0;
        await rendered.CopyToAsync(body, http.RequestAborted);
    }

    /// <summary>What makes two empty forms the same page, apart from the two per-request values.</summary>
    public sealed record Key(Guid TenantId, string StoreName, int FormVersion, string Language, string? KioskToken, string UiCulture, string? StaffPin)
    {
        /// <summary>The PIN hash is part of the page: a new PIN is never served from a page kept with the old one.</summary>
        public static Key For(Guid tenantId, SignUpForm form) =>
            new(tenantId, form.StoreName, form.Definition.Version, form.Language, form.KioskToken, CultureInfo.CurrentUICulture.Name, form.StaffPin?.ForDevice);
    }

    /// <summary>
    /// The rendered page cut at the antiforgery token and the submission id, each found exactly once,
    /// with the inline styles its Content-Security-Policy allows by hash.
    /// </summary>
    internal sealed class FormTemplate
    {
        private readonly string[] parts;
        private readonly bool tokenFirst;

        private FormTemplate(string[] parts, bool tokenFirst, IReadOnlyList<string> inlineStyles)
        {
            this.parts = parts;
            this.tokenFirst = tokenFirst;
            InlineStyles = inlineStyles;
        }

        public IReadOnlyList<string> InlineStyles { get; }

        public static FormTemplate? TryCut(string html, string token, string submissionId, IReadOnlyList<string>? inlineStyles = null)
        {
            var tokenAt = OnlyIndexOf(html, token);
            var idAt = OnlyIndexOf(html, submissionId);
            if (tokenAt < 0 || idAt < 0)
            {
                return null;
            }

            var (first, firstLength, second, secondLength) = tokenAt < idAt
                ? (tokenAt, token.Length, idAt, submissionId.Length)
                : (idAt, submissionId.Length, tokenAt, token.Length);
            if (first + firstLength > second)
            {
                return null;
            }

            return new FormTemplate(
                [html[..first], html[(first + firstLength)..second], html[(second + secondLength)..]],
                tokenFirst: tokenAt < idAt,
                [.. inlineStyles ?? []]);
        }

        public string Fill(string token, string submissionId)
        {
            var (first, second) = tokenFirst ? (token, submissionId) : (submissionId, token);
            return string.Concat(parts[0], first, parts[1], second, parts[2]);
        }

        private static int OnlyIndexOf(string html, string value)
        {
            var at = html.IndexOf(value, StringComparison.Ordinal);
            return at >= 0 && html.IndexOf(value, at + value.Length, StringComparison.Ordinal) < 0 ? at : -1;
        }
    }
}
