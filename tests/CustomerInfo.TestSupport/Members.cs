using System.Net;
using CustomerInfo.Application.Accounts;
using CustomerInfo.Domain.Accounts;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.TestSupport;

/// <summary>Team members of test stores, and signing them in the way a browser does.</summary>
public static class Members
{
    public const string Password = "a long enough passphrase";

    /// <summary>Adds a confirmed account to <paramref name="store"/>'s team, as joining does.</summary>
    public static async Task<TeamMember> AddMemberAsync(this AppFactory app, string store, string email, TeamRole role, string password = Password, bool confirmed = true)
    {
        await using var scope = await StoreScope.EnterAsync(app, store);
        var member = scope.ServiceProvider.GetRequiredService<NewMembers>().Create(email, password, role, "en", confirmed);
        var session = scope.ServiceProvider.GetRequiredService<IDocumentSession>();
        session.Insert(member);
        await session.SaveChangesAsync();
        return member;
    }

    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password = Password) =>
        await Forms.PostAsync(client, "/admin/signin", new Dictionary<string, string>
        {
            ["Command.Email"] = email,
            ["Command.Password"] = password,
        });

    /// <summary>Signs a member in on <paramref name="client"/> and returns the session cookie as the browser holds it.</summary>
    public static async Task<string> SignedInAsync(HttpClient client, string email, string password = Password)
    {
        var response = await SignInAsync(client, email, password);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in failed: {(int)response.StatusCode}");
        }

        return SessionCookie(response, ".CustomerInfo.Member");
    }

    /// <summary>"name=value" of the cookie a response set, to replay it by hand (as a thief would).</summary>
    public static string SessionCookie(HttpResponseMessage response, string name) =>
        response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith(name + "=", StringComparison.Ordinal));

    /// <summary>A request carrying only the given cookie, from a client that keeps none of its own.</summary>
    public static async Task<HttpResponseMessage> GetWithCookieAsync(AppFactory app, string host, string path, string cookie)
    {
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri($"http://{host}"),
            AllowAutoRedirect = false,
            HandleCookies = false,
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (cookie.Length > 0)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return await client.SendAsync(request);
    }
}
