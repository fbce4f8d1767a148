using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using CustomerInfo.FunctionalTests.Localization;
using CustomerInfo.TestSupport;

namespace CustomerInfo.FunctionalTests.Hosting;

/// <summary>
/// The probe's requests against the real server on a socket: Kestrel's own limits and body reading
/// differ from the in-memory test server's, and a hand-made request can send a body without a length.
/// </summary>
public partial class StatusPageOverSocketTests(KestrelAppFactory app) : IClassFixture<KestrelAppFactory>, IAsyncLifetime
{
    private readonly CookieContainer cookies = new();

    public Task InitializeAsync() => StatusPages.ArrangeStoresAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("demo.localhost", "/", "en", "Too much data")]
    [InlineData("dutch.localhost", "/", "nl", "Te veel gegevens")]
    [InlineData("localhost", "/owner/signin", "en", "Too much data")]
    public async Task A_ten_megabyte_body_with_or_without_a_length_is_too_large(string host, string path, string language, string heading)
    {
        foreach (var chunked in new[] { false, true })
        {
            var response = await RawPostAsync(host, path, 10 * 1024 * 1024, chunked);

            response.ShouldStartWith("HTTP/1.1 413 ", customMessage: $"chunked: {chunked}");
            response.ShouldContain($"<html lang=\"{language}\">");
            response.ShouldContain(heading);
            response.ShouldNotContain("Something went wrong");
        }
    }

    [Theory]
    [InlineData("demo.localhost", "/", "en", "That request was not understood")]
    [InlineData("localhost", "/owner/signin", "en", "That request was not understood")]
    public async Task A_nul_byte_or_a_broken_multipart_body_is_a_bad_request(string host, string path, string language, string heading)
    {
        var bodies = new[]
        {
            Content("code=404&a=%00", "application/x-www-form-urlencoded"),
            Content("--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end", "multipart/form-data; boundary=xyz"),
        };
        foreach (var body in bodies)
        {
            await StatusPages.ShouldSpeakAsync(await SendAsync(host, HttpMethod.Post, path, body), HttpStatusCode.BadRequest, language, heading);
        }
    }

    [Theory]
    [InlineData("demo.localhost", "GET, HEAD, POST")]
    [InlineData("localhost", "GET, HEAD")]
    public async Task A_put_is_not_allowed(string host, string allowed)
    {
        var response = await SendAsync(host, HttpMethod.Put, "/", Content("code=404", "application/x-www-form-urlencoded"));

        response.Content.Headers.Allow.ShouldBe(allowed.Split(", "));
        await StatusPages.ShouldSpeakAsync(response, HttpStatusCode.MethodNotAllowed, "en", "This page cannot be used that way.");
    }

    [Fact]
    public async Task Invalid_utf8_in_a_sign_up_is_refused_with_a_message()
    {
        var html = await AppFactory.ReadAsync(await SendAsync("demo.localhost", HttpMethod.Get, "/", null), HttpStatusCode.OK);
        var token = Forms.AntiforgeryToken(html);
        var id = SubmissionId().Match(html).Groups[1].Value;
        var body = await SignUps.Kiosk.Encoded(SignUps.Kiosk.Fields(("Command.FirstName", null), ("Command.SubmissionId", id), ("__RequestVerificationToken", token))).ReadAsStringAsync();

        var response = await SendAsync("demo.localhost", HttpMethod.Post, "/", Content(body + "&Command.FirstName=Ann%FF", "application/x-www-form-urlencoded"));

        (await AppFactory.ReadAsync(response, HttpStatusCode.UnprocessableEntity)).ShouldContain("This contains characters that cannot be shown. Please type it again.");
    }

    private async Task<HttpResponseMessage> SendAsync(string host, HttpMethod method, string path, HttpContent? body)
    {
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(method, $"http://127.0.0.1:{app.Port}{path}") { Content = body };
        request.Headers.Host = $"{host}:{app.Port}";
        return await client.SendAsync(request);
    }

    /// <summary>
    /// A form post of <paramref name="bytes"/> written on a bare socket, as a probe sends it: the
    /// server may answer and close before the body is all sent, which HttpClient reports as a failed
    /// send instead of the answer. Returns the response as text.
    /// </summary>
    private async Task<string> RawPostAsync(string host, string path, int bytes, bool chunked)
    {
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, app.Port);
        var stream = socket.GetStream();
        var length = chunked ? "Transfer-Encoding: chunked" : $"Content-Length: {bytes}";
        var head = $"POST {path} HTTP/1.1\r\nHost: {host}:{app.Port}\r\nContent-Type: application/x-www-form-urlencoded\r\n{length}\r\n\r\n";
        var sending = Task.Run(async () =>
        {
            try
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
                var block = Encoding.ASCII.GetBytes("a=" + new string('x', 64 * 1024 - 2));
                for (var sent = 0; sent < bytes; sent += block.Length)
                {
                    await stream.WriteAsync(chunked ? Encoding.ASCII.GetBytes($"{block.Length:X}\r\n").Concat(block).Concat("\r\n"u8.ToArray()).ToArray() : block);
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                // The server stopped reading (it has answered), or the answer is read and the socket closed.
            }
        });
        var response = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                response.Write(buffer, 0, read);
                if (Encoding.UTF8.GetString(response.ToArray()).Contains("</html>", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // A reset after the answer: what arrived is the answer.
        }

        socket.Close();
        await sending;
        return Encoding.UTF8.GetString(response.ToArray());
    }

    private static ByteArrayContent Content(string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    [GeneratedRegex("name=\"Command.SubmissionId\" value=\"([^\"]+)\"")]
    private static partial Regex SubmissionId();
}
