using System.Net;
using System.Text.RegularExpressions;

namespace DrillHarness;

/// <summary>
/// Connects the demo store to the loopback CRM the way a Manager does: signs in at /admin/signin,
/// opens CRM, chooses the signed webhook, enters the receiver's address and presses Connect; the
/// signing secret is read from the answer, where the app shows it once.
/// </summary>
public static partial class DemoAdmin
{
    public static async Task<string> ConnectWebhookAsync(string web, string host, string email, string password, string receiverUrl)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });
        var jar = new CookieJar();

        async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, Dictionary<string, string>? form = null)
        {
            using var request = new HttpRequestMessage(method, web + path);
            request.Headers.Host = host;
            if (jar.Cookie is { Length: > 0 } cookie)
            {
                request.Headers.Add("Cookie", cookie);
            }
            if (form is not null)
            {
                request.Content = new FormUrlEncodedContent(form);
            }

            using var response = await http.SendAsync(request);
            jar.Remember(response);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var signIn = await SendAsync(HttpMethod.Get, "/admin/signin");
        var signedIn = await SendAsync(HttpMethod.Post, "/admin/signin", new()
        {
            ["__RequestVerificationToken"] = Token(signIn.Body),
            ["Command.Email"] = email,
            ["Command.Password"] = password,
        });
        if (signedIn.Status != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"the demo Owner could not sign in ({(int)signedIn.Status})");
        }

        var crm = await SendAsync(HttpMethod.Get, "/admin/crm?kind=webhook");
        var connected = await SendAsync(HttpMethod.Post, "/admin/crm?handler=Connect", new()
        {
            ["__RequestVerificationToken"] = Token(crm.Body),
            ["Form.Kind"] = "webhook",
            ["Form.Settings[url]"] = receiverUrl,
        });
        return SecretPattern().Match(connected.Body) is { Success: true } secret
            ? WebUtility.HtmlDecode(secret.Groups[1].Value)
            : throw new InvalidOperationException($"connecting the webhook showed no signing secret ({(int)connected.Status})");
    }

    private static string Token(string page) =>
        TokenPattern().Match(page) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException("no antiforgery token on the page");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("id=\"generated-secret\"[^>]*value=\"(whsec_[^\"]+)\"")]
    private static partial Regex SecretPattern();
}
