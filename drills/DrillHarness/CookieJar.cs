namespace DrillHarness;

/// <summary>
/// A browser's cookies for one host, kept by hand: requests go to 127.0.0.1 with the store's Host
/// header, which a <see cref="System.Net.CookieContainer"/> would file under the wrong name.
/// </summary>
public class CookieJar
{
    private readonly Dictionary<string, string> cookies = new(StringComparer.Ordinal);

    public string Cookie => string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}"));

    public void Remember(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            foreach (var value in values)
            {
                var pair = value.Split(';', 2)[0].Split('=', 2);
                if (pair.Length == 2)
                {
                    cookies[pair[0].Trim()] = pair[1].Trim();
                }
            }
        }
    }
}
