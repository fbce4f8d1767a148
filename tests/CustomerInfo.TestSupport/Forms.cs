using System.Net;
using System.Text.RegularExpressions;

namespace CustomerInfo.TestSupport;

/// <summary>Posts forms the way a browser does: fetch the page, send its antiforgery token back.</summary>
public static partial class Forms
{
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, IDictionary<string, string> fields)
    {
        var page = await client.GetAsync(path);
        var html = await AppFactory.ReadAsync(page, HttpStatusCode.OK);
        var values = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = AntiforgeryToken(html) };
        return await client.PostAsync(path, new FormUrlEncodedContent(values));
    }

    public static string AntiforgeryToken(string html)
    {
        var match = TokenPattern().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException("The page has no antiforgery token.");
    }

    /// <summary>Signs the platform owner in on <paramref name="client"/> (its cookies keep the session).</summary>
    public static async Task SignInOwnerAsync(HttpClient client)
    {
        var response = await PostAsync(client, "/owner/signin", new Dictionary<string, string>
        {
            ["Command.Email"] = AppFactory.OwnerEmail,
            ["Command.Password"] = AppFactory.OwnerPassword,
        });
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Owner sign-in failed: {(int)response.StatusCode}");
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
