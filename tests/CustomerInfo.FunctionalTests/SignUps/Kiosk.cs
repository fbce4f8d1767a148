using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using CustomerInfo.TestSupport;

namespace CustomerInfo.FunctionalTests.SignUps;

/// <summary>A shopper at a store's tablet: opens the form and sends it back the way the browser does.</summary>
public sealed partial class Kiosk(HttpClient client)
{
    public HttpClient Client => client;

    public string Html { get; private set; } = "";

    public string Token { get; private set; } = "";

    public string SubmissionId { get; private set; } = "";

    public async Task<string> OpenAsync(string path = "/")
    {
        Html = await AppFactory.ReadAsync(await client.GetAsync(path), HttpStatusCode.OK);
        Token = Forms.AntiforgeryToken(Html);
        SubmissionId = SubmissionIdPattern().Match(Html).Groups[1].Value;
        return Html;
    }

    /// <summary>The valid sign-up of the demo form, with <paramref name="changes"/> on top (a null value leaves the field out).</summary>
    public static List<KeyValuePair<string, string>> Fields(params (string Name, string? Value)[] changes)
    {
        LoggedPersonalData.Remember("Ann");
        LoggedPersonalData.Remember("de Vries");
        var fields = new Dictionary<string, string?>
        {
            ["Command.FormVersion"] = "1",
            ["Command.Language"] = "en",
            ["Command.FilledAt"] = "",
            ["Command.FirstName"] = "Ann",
            ["Command.LastName"] = "de Vries",
            ["Command.Email"] = "ann@example.com",
            ["Command.Phone"] = "06 12345678",
            ["Command.BirthdayDay"] = "14",
            ["Command.BirthdayMonth"] = "3",
            ["Command.PostalCode"] = "1012 AB",
            ["Command.EmailConsent"] = "true",
        };
        foreach (var (name, value) in changes)
        {
            fields[name] = value;
        }

        return fields.Where(f => f.Value is not null).Select(f => new KeyValuePair<string, string>(f.Key, f.Value!)).ToList();
    }

    /// <summary>Posts <paramref name="fields"/> with the opened form's submission id and antiforgery token.</summary>
    public Task<HttpResponseMessage> SubmitAsync(IEnumerable<KeyValuePair<string, string>> fields, string path = "/")
    {
        var all = new List<KeyValuePair<string, string>>(fields);
        if (!all.Any(f => f.Key == "Command.SubmissionId"))
        {
            all.Add(new("Command.SubmissionId", SubmissionId));
        }

        if (!all.Any(f => f.Key == "__RequestVerificationToken"))
        {
            all.Add(new("__RequestVerificationToken", Token));
        }

        return client.PostAsync(path, Encoded(all));
    }

    /// <summary>
    /// A form body as a browser encodes it (UTF-8, percent-encoded). Unlike FormUrlEncodedContent it
    /// accepts any string, lone surrogates included: they become U+FFFD as in a real browser.
    /// </summary>
    public static ByteArrayContent Encoded(IEnumerable<KeyValuePair<string, string>> fields)
    {
        var body = string.Join('&', fields.Select(f => Uri.EscapeDataString(Utf8Safe(f.Key)) + "=" + Uri.EscapeDataString(Utf8Safe(f.Value))));
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        content.Headers.ContentType = new("application/x-www-form-urlencoded");
        return content;
    }

    private static string Utf8Safe(string value) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(value));

    [GeneratedRegex("name=\"Command.SubmissionId\" value=\"([^\"]+)\"")]
    internal static partial Regex SubmissionIdPattern();
}
