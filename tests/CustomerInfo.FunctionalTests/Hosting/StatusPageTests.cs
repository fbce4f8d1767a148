using System.Net;
using System.Text;
using CustomerInfo.FunctionalTests.Localization;
using CustomerInfo.TestSupport;

namespace CustomerInfo.FunctionalTests.Hosting;

/// <summary>
/// The answer to a request that cannot be served tells its real status, taken from the response and
/// never from what was sent, on a store host and on the platform host, in the page's language.
/// </summary>
public class StatusPageTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private const string English400 = "That request was not understood";
    private const string Dutch400 = "Dat verzoek begrepen we niet";
    private const string English405 = "This page cannot be used that way.";
    private const string Dutch405 = "Deze pagina kan niet op die manier worden gebruikt.";
    private const string English413 = "Too much data";
    private const string Dutch413 = "Te veel gegevens";

    public Task InitializeAsync() => StatusPages.ArrangeStoresAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Where a form is posted: a store's sign-up page in English and in Dutch, and the platform's owner sign-in.</summary>
    public static TheoryData<string, string, string?, string> FormPages => new()
    {
        { "demo.localhost", "/", null, "en" },
        { "demo.localhost", "/?lang=nl", null, "nl" },
        { "dutch.localhost", "/", "en", "nl" },
        { "localhost", "/owner/signin", null, "en" },
        { "localhost", "/owner/signin", "nl", "nl" },
    };

    [Theory]
    [MemberData(nameof(FormPages))]
    public async Task A_post_naming_another_status_in_its_body_gets_the_status_it_earned(string host, string path, string? acceptLanguage, string language)
    {
        var response = await SendAsync(host, HttpMethod.Post, path, acceptLanguage, Form("code=404&Code=404&Command.Email=a%40b.c"));

        await ShouldBeAsync(response, HttpStatusCode.BadRequest, language, language == "nl" ? Dutch400 : English400);
    }

    [Theory]
    [MemberData(nameof(FormPages))]
    public async Task A_body_the_form_reader_refuses_is_a_bad_request_not_a_server_error(string host, string path, string? acceptLanguage, string language)
    {
        var bodies = new[]
        {
            Form("Command.FirstName=A%00nn&code=404"),
            Form(string.Join('&', Enumerable.Range(0, 1100).Select(i => $"f{i}=1"))),
            Content("--xyz\r\nnot a part", "multipart/form-data; boundary=xyz"),
            Content("--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end", "multipart/form-data; boundary=xyz"),
            Content("garbage", "multipart/form-data"),
        };
        foreach (var body in bodies)
        {
            var response = await SendAsync(host, HttpMethod.Post, path, acceptLanguage, body);

            await ShouldBeAsync(response, HttpStatusCode.BadRequest, language, language == "nl" ? Dutch400 : English400);
        }
    }

    [Theory]
    [MemberData(nameof(FormPages))]
    public async Task A_ten_megabyte_body_is_too_large_not_a_server_error(string host, string path, string? acceptLanguage, string language)
    {
        var response = await SendAsync(host, HttpMethod.Post, path, acceptLanguage, Form("a=" + new string('x', 10 * 1024 * 1024)));

        await ShouldBeAsync(response, HttpStatusCode.RequestEntityTooLarge, language, language == "nl" ? Dutch413 : English413);
    }

    [Theory]
    [InlineData("demo.localhost", "/", null, "en", "GET, HEAD, POST")]
    [InlineData("demo.localhost", "/?lang=nl", null, "nl", "GET, HEAD, POST")]
    [InlineData("dutch.localhost", "/thanks", null, "nl", "GET, HEAD")]
    [InlineData("localhost", "/", null, "en", "GET, HEAD")]
    [InlineData("localhost", "/owner/signin", "nl", "nl", "GET, HEAD, POST")]
    [InlineData("localhost", "/status/404", null, "en", "GET, HEAD")]
    public async Task A_method_a_page_does_not_take_is_not_allowed_and_the_answer_says_which_are(string host, string path, string? acceptLanguage, string language, string allowed)
    {
        foreach (var method in new[] { HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Options })
        {
            var response = await SendAsync(host, method, path, acceptLanguage, Form("code=404"));

            response.Content.Headers.Allow.ShouldBe(allowed.Split(", "), $"{method} {path}");
            await ShouldBeAsync(response, HttpStatusCode.MethodNotAllowed, language, language == "nl" ? Dutch405 : English405);
        }
    }

    [Theory]
    [InlineData("demo.localhost", "/?handler=nope")]
    [InlineData("localhost", "/?handler=nope")]
    [InlineData("demo.localhost", "/thanks?handler=token")]
    public async Task A_page_handler_that_does_not_exist_is_not_found(string host, string path)
    {
        var response = await SendAsync(host, HttpMethod.Get, path, null, null);

        await ShouldBeAsync(response, HttpStatusCode.NotFound, "en", "Page not found");
    }

    [Theory]
    [InlineData("demo.localhost", "/status/404", HttpStatusCode.NotFound, "Page not found")]
    [InlineData("localhost", "/status/429", HttpStatusCode.TooManyRequests, "Too many tries")]
    [InlineData("localhost", "/status/200", HttpStatusCode.NotFound, "Page not found")]
    [InlineData("localhost", "/status/999", HttpStatusCode.NotFound, "Page not found")]
    public async Task A_status_page_visited_directly_shows_the_status_its_address_names_whatever_the_query_says(string host, string path, HttpStatusCode status, string heading)
    {
        var response = await SendAsync(host, HttpMethod.Get, path + "?code=500", null, null);

        await ShouldBeAsync(response, status, "en", heading);
    }

    private static async Task ShouldBeAsync(HttpResponseMessage response, HttpStatusCode status, string language, string text)
    {
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain($"<p class=\"status-code\">{(int)status}</p>", customMessage: $"{response.RequestMessage?.Method} {(int)response.StatusCode}: {html[..Math.Min(html.Length, 600)]}");
        html.ShouldNotContain("Something went wrong");
        await StatusPages.ShouldSpeakAsync(response, status, language, text);
    }

    private async Task<HttpResponseMessage> SendAsync(string host, HttpMethod method, string path, string? acceptLanguage, HttpContent? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body };
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        return await app.ClientFor(host).SendAsync(request);
    }

    private static ByteArrayContent Form(string body) => Content(body, "application/x-www-form-urlencoded");

    private static ByteArrayContent Content(string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }
}
