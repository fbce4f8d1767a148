using System.Net;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.FunctionalTests.Admin;

/// <summary>
/// Every admin page the app maps (read from its endpoints, so a new page is covered without
/// anyone adding it here), tried as anonymous, each role, an Owner of another store and the
/// platform owner: the answer must follow the page's policy.
/// </summary>
public partial class AdminAccessMatrixTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private readonly Dictionary<string, string> cookies = [];

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("acme", "Acme Shoes");
        await app.AddStoreAsync("bravo", "Bravo Books");
        foreach (var role in TeamRoles.All)
        {
            await app.AddMemberAsync("acme", $"{role}@acme.test".ToLowerInvariant(), role);
            cookies[role.ToString()] = await Members.SignedInAsync(app.ClientFor("acme.localhost"), $"{role}@acme.test".ToLowerInvariant());
        }

        await app.AddMemberAsync("bravo", "owner@bravo.test", TeamRole.Owner);
        cookies["other-store-owner"] = await Members.SignedInAsync(app.ClientFor("bravo.localhost"), "owner@bravo.test");
        var owner = await Forms.PostAsync(app.ClientFor("localhost"), "/owner/signin", new Dictionary<string, string>
        {
            ["Command.Email"] = AppFactory.OwnerEmail,
            ["Command.Password"] = AppFactory.OwnerPassword,
        });
        cookies["platform-owner"] = Members.SessionCookie(owner, ".CustomerInfo.Owner");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Every_admin_page_answers_each_kind_of_visitor_as_its_policy_says()
    {
        var pages = AdminPages();
        pages.Count.ShouldBeGreaterThanOrEqualTo(8);
        var wrong = new List<string>();
        foreach (var (path, required) in pages)
        {
            foreach (var (visitor, cookie) in Visitors())
            {
                var response = await Members.GetWithCookieAsync(app, "acme.localhost", path, cookie);
                var expected = Expected(required, visitor, path.Contains(UnknownId, StringComparison.Ordinal));
                if (!expected.Contains(response.StatusCode))
                {
                    wrong.Add($"{path} as {visitor}: {(int)response.StatusCode}, expected {string.Join(" or ", expected.Select(e => (int)e))}");
                }
            }
        }

        wrong.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_post_to_an_admin_form_without_its_antiforgery_token_changes_nothing()
    {
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://acme.localhost"), AllowAutoRedirect = false, HandleCookies = false });
        var posts = AdminPages().Where(p => p.Required is not null).Select(p => p.Path)
            .Concat(["/admin/team?handler=Invite", "/admin/team?handler=Role", "/admin/team?handler=Remove", "/admin?handler=Resend", "/admin/privacy?handler=Erase", "/admin/stores?handler=Add"]);
        foreach (var path in posts)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent([new("Invite.Email", "csrf@evil.test"), new("Invite.Role", "Owner")]) };
            request.Headers.Add("Cookie", cookies["Owner"]);
            var status = (await client.SendAsync(request)).StatusCode;
            // 400: the antiforgery check; 404/405: a page with no handler for a plain POST. Never a change.
            (path.Contains("handler=", StringComparison.Ordinal) ? [HttpStatusCode.BadRequest] : new[] { HttpStatusCode.BadRequest, HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed })
                .ShouldContain(status, path);
        }

        var team = await AppFactory.ReadAsync(await Members.GetWithCookieAsync(app, "acme.localhost", "/admin/team", cookies["Owner"]), HttpStatusCode.OK);
        team.ShouldNotContain("csrf@evil.test");
    }

    private IEnumerable<(string Visitor, string Cookie)> Visitors() =>
        [("anonymous", ""), ("Staff", cookies["Staff"]), ("Manager", cookies["Manager"]), ("Owner", cookies["Owner"]),
         ("other-store-owner", cookies["other-store-owner"]), ("platform-owner", cookies["platform-owner"])];

    /// <summary>What a page's route parameters are filled with: an id nobody has, so a visitor who may see the page gets its 404.</summary>
    private static readonly string UnknownId = Guid.NewGuid().ToString();

    /// <summary>Pages that need no sign-in answer themselves (a token page without a token: 404/410); the rest follow their role.</summary>
    /// <param name="withId">A page of one thing, asked for one that does not exist: 404 once the policy lets the visitor in.</param>
    private static HttpStatusCode[] Expected(TeamRole? required, string visitor, bool withId = false)
    {
        if (required is null)
        {
            return [HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.Gone, HttpStatusCode.Redirect];
        }

        if (!TeamRoles.TryParse(visitor, out var held))
        {
            return [HttpStatusCode.Redirect];
        }

        return !held.Grants(required.Value) ? [HttpStatusCode.Forbidden] : withId ? [HttpStatusCode.NotFound] : [HttpStatusCode.OK];
    }

    private List<(string Path, TeamRole? Required)> AdminPages() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && raw.StartsWith("admin", StringComparison.OrdinalIgnoreCase))
            .Select(e => ("/" + RouteParameter().Replace(e.RoutePattern.RawText!, UnknownId), RequiredRole(e)))
            .DistinctBy(p => p.Item1)
            .ToList();

    private static TeamRole? RequiredRole(Microsoft.AspNetCore.Http.Endpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return null;
        }

        var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
        return TeamRoles.All.Where(r => policies.Contains(MemberAuthentication.PolicyFor(r))).Cast<TeamRole?>().Max();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\{[^}]+\}")]
    private static partial System.Text.RegularExpressions.Regex RouteParameter();
}
