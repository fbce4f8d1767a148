using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using CustomerInfo.Application.SignUps.GetSignUpForm;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Net.Http.Headers;

namespace CustomerInfo.Web.Pages.Store;

/// <summary>
/// The empty sign-up form is the same page for every shopper of a store, form version, language
/// and kiosk link, except for two values: its submission id and its antiforgery token. The page is
/// rendered once, kept with holes where those two go, and filled in for each request (ADR 9).
/// Only an empty form is kept: a form shown again with what a shopper typed is never cached, and
/// the browser still caches nothing (<c>Cache-Control: no-store</c>).
/// </summary>
public sealed class EmptyFormCache(IMemoryCache cache, IAntiforgery antiforgery, KioskRequestTokens kioskTokens) : IAsyncResultFilter
{
    /// <summary>As long as the store lookup is cached: a renamed or rebranded store shows within it.</summary>
    internal static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The kept page for <paramref name="key"/>, filled in for this request and sent, when there is one
    /// (<see cref="KeptFormMiddleware"/> calls this before MVC runs, ADR 32). The token is the one this
    /// tablet's cookie was given before, or a new one (<see cref="KioskRequestTokens"/>); the response gets
    /// the page's own headers: <c>no-store</c>, as <see cref="ResponseCacheAttribute"/> sets them on the page.
    /// </summary>
    public bool TryServe(HttpContext http, Key key, Guid submissionId, out Task sent)
    {
        if (!cache.TryGetValue(key, out FormTemplate? template))
        {
            sent = Task.CompletedTask;
            return false;
        }

        var token = kioskTokens.For(http);
        var id = submissionId.ToString();
        // Its inline style was allowed by hash when it was rendered: allow it on this response too.
        foreach (var style in template!.InlineStyles)
        {
            Security.SecurityHeaders.AllowInlineStyle(http, style);
        }

        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store,no-cache";
        response.Headers.Pragma = "no-cache";
        if (AcceptsGzip(http.Request))
        {
            // A browser takes gzip: the page's parts are kept compressed, so only the two values are new (ADR 31).
            // The compression middleware leaves a response that has its Content-Encoding.
            var body = template.Gzip(token, id);
            response.Headers.ContentEncoding = "gzip";
            response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
            response.ContentLength = body.Length;
            sent = response.Body.WriteAsync(body, http.RequestAborted).AsTask();
        }
        else
        {
            sent = response.WriteAsync(template.Fill(token, id), http.RequestAborted);
        }

        return true;
    }

    /// <summary>On a page rendered because nothing was kept for its key: keep it, cut at its two values.</summary>
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

    /// <summary>Whether the request's Accept-Encoding takes gzip, by name or by <c>*</c>, with a quality above zero.</summary>
    internal static bool AcceptsGzip(HttpRequest request)
    {
        if (!StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptEncoding, out var codings))
        {
            return false;
        }

        var named = codings.FirstOrDefault(c => c.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase));
        var chosen = named ?? codings.FirstOrDefault(c => c.Value.Equals("*", StringComparison.Ordinal));
        return chosen is not null && (chosen.Quality ?? 1) > 0;
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
        private readonly byte[][] utf8;
        private readonly byte[][] deflated;

        private FormTemplate(string[] parts, bool tokenFirst, IReadOnlyList<string> inlineStyles)
        {
            this.parts = parts;
            this.tokenFirst = tokenFirst;
            InlineStyles = inlineStyles;
            utf8 = [.. parts.Select(Encoding.UTF8.GetBytes)];
            deflated = [Deflate(utf8[0], last: false), Deflate(utf8[1], last: false), Deflate(utf8[2], last: true)];
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

        /// <summary>
        /// The filled page as one gzip member (RFC 1952) whose deflate data (RFC 1951) is the kept parts,
        /// compressed once, with the two values between them as stored blocks. Each kept part was
        /// compressed on its own and ends on a byte boundary (a sync flush), so the pieces follow each
        /// other as blocks of one stream; only the last has the final bit.
        /// </summary>
        public byte[] Gzip(string token, string submissionId)
        {
            var (first, second) = tokenFirst ? (token, submissionId) : (submissionId, token);
            var a = Encoding.UTF8.GetBytes(first);
            var b = Encoding.UTF8.GetBytes(second);
            var length = utf8[0].Length + a.Length + utf8[1].Length + b.Length + utf8[2].Length;
            var body = new byte[GzipHeader.Length + deflated[0].Length + StoredLength(a) + deflated[1].Length + StoredLength(b) + deflated[2].Length + 8];
            var at = 0;
            Put(body, ref at, GzipHeader);
            Put(body, ref at, deflated[0]);
            PutStored(body, ref at, a);
            Put(body, ref at, deflated[1]);
            PutStored(body, ref at, b);
            Put(body, ref at, deflated[2]);

            var crc = new Crc32();
            crc.Append(utf8[0]);
            crc.Append(a);
            crc.Append(utf8[1]);
            crc.Append(b);
            crc.Append(utf8[2]);
            BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(at), crc.GetCurrentHashAsUInt32());
            BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(at + 4), (uint)length);
            return body;
        }

        /// <summary>Magic, deflate, no flags, no time, no extra flags, unknown system.</summary>
        private static ReadOnlySpan<byte> GzipHeader => [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];

        /// <summary>Stored blocks hold at most 65,535 bytes each; a value is far shorter, but any length works.</summary>
        private static int StoredLength(byte[] value) => value.Length + (5 * Math.Max(1, (value.Length + ushort.MaxValue - 1) / ushort.MaxValue));

        private static void PutStored(byte[] body, ref int at, byte[] value)
        {
            var offset = 0;
            do
            {
                var size = Math.Min(ushort.MaxValue, value.Length - offset);
                body[at] = 0; // not final, stored; the rest of the byte is padding, as the previous piece ended on a byte boundary
                BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(at + 1), (ushort)size);
                BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(at + 3), (ushort)~size);
                value.AsSpan(offset, size).CopyTo(body.AsSpan(at + 5));
                at += 5 + size;
                offset += size;
            }
            while (offset < value.Length);
        }

        private static void Put(byte[] body, ref int at, ReadOnlySpan<byte> piece)
        {
            piece.CopyTo(body.AsSpan(at));
            at += piece.Length;
        }

        /// <summary>
        /// A part compressed on its own. Flush ends it with a sync flush (an empty stored block, on a byte
        /// boundary) and without the final bit; the last part is closed, which sets the final bit.
        /// </summary>
        private static byte[] Deflate(byte[] part, bool last)
        {
            using var buffer = new MemoryStream();
            var deflate = new DeflateStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true);
            deflate.Write(part);
            if (last)
            {
                deflate.Dispose();
                return buffer.Length > 0 ? buffer.ToArray() : [1, 0, 0, 255, 255]; // an empty final stored block
            }

            deflate.Flush();
            var piece = buffer.ToArray();
            deflate.Dispose();
            return piece;
        }

        private static int OnlyIndexOf(string html, string value)
        {
            var at = html.IndexOf(value, StringComparison.Ordinal);
            return at >= 0 && html.IndexOf(value, at + value.Length, StringComparison.Ordinal) < 0 ? at : -1;
        }
    }
}
