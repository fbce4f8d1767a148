using System.Security.Claims;
using CustomerInfo.Web.Pages.Store;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace CustomerInfo.UnitTests.Web.Pages;

public class KioskRequestTokensTests
{
    private const string CookieName = ".AspNetCore.Antiforgery.test";

    private readonly CountingAntiforgery antiforgery = new();

    private KioskRequestTokens Tokens() => new(antiforgery, Options.Create(new AntiforgeryOptions { Cookie = { Name = CookieName } }));

    private static DefaultHttpContext Request(string? cookie, bool signedIn = false)
    {
        var http = new DefaultHttpContext();
        if (cookie is not null)
        {
            http.Request.Headers.Cookie = $"{CookieName}={cookie}";
        }

        if (signedIn)
        {
            http.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "staff")], "cookie"));
        }

        return http;
    }

    [Fact]
    public void A_tablet_that_sends_the_cookie_it_was_given_gets_the_same_token_without_new_crypto()
    {
        using var tokens = Tokens();

        var first = tokens.For(Request("tablet-a"));
        var again = tokens.For(Request("tablet-a"));

        again.ShouldBe(first);
        antiforgery.Calls.ShouldBe(1);
    }

    [Fact]
    public void Each_cookie_has_its_own_token()
    {
        using var tokens = Tokens();

        var a = tokens.For(Request("tablet-a"));
        var b = tokens.For(Request("tablet-b"));

        b.ShouldNotBe(a);
        tokens.For(Request("tablet-a")).ShouldBe(a);
        tokens.For(Request("tablet-b")).ShouldBe(b);
        antiforgery.Calls.ShouldBe(2);
    }

    [Fact]
    public void A_request_without_a_cookie_or_with_one_the_service_replaced_is_never_remembered()
    {
        using var tokens = Tokens();
        antiforgery.IssuesNewCookie = true; // the cookie sent was missing, expired or forged

        tokens.For(Request(null));
        tokens.For(Request("forged"));
        tokens.For(Request("forged"));

        antiforgery.Calls.ShouldBe(3);
    }

    [Fact]
    public void A_signed_in_request_gets_a_token_of_its_own_and_none_kept_for_others()
    {
        using var tokens = Tokens();
        var anonymous = tokens.For(Request("tablet-a"));

        var signedIn = tokens.For(Request("tablet-a", signedIn: true));
        tokens.For(Request("tablet-b", signedIn: true));
        tokens.For(Request("tablet-b"));

        signedIn.ShouldNotBe(anonymous);
        antiforgery.Calls.ShouldBe(4);
    }

    [Fact]
    public void It_remembers_at_most_its_capacity_of_cookies()
    {
        using var tokens = Tokens();
        for (var i = 0; i < KioskRequestTokens.Capacity + 100; i++)
        {
            tokens.For(Request($"minted-{i}"));
        }

        tokens.Remembered.ShouldBeLessThanOrEqualTo(KioskRequestTokens.Capacity);
        tokens.Remembered.ShouldBeGreaterThan(0);
    }

    private static DefaultHttpContext Post(string? cookie, string? token, bool signedIn = false, string? header = null)
    {
        var http = Request(cookie, signedIn);
        var fields = new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>();
        if (token is not null)
        {
            fields["__RequestVerificationToken"] = token;
        }

        if (header is not null)
        {
            http.Request.Headers["RequestVerificationToken"] = header;
        }

        http.Request.Form = new FormCollection(fields);
        return http;
    }

    private static Task<bool> IsValidAsync(KioskRequestTokens tokens, HttpContext http) => tokens.IsValidAsync(http, http.Request.Form);

    /// <summary>Tokens that remember one pair: the service accepts ("tablet-a", "token-a"), and was asked once.</summary>
    private async Task<KioskRequestTokens> TokensThatAcceptedAPairAsync()
    {
        var tokens = Tokens();
        antiforgery.Valid.Add(("tablet-a", "token-a"));
        (await IsValidAsync(tokens, Post("tablet-a", "token-a"))).ShouldBeTrue();
        return tokens;
    }

    [Fact]
    public async Task A_pair_the_service_accepted_is_accepted_again_without_new_crypto()
    {
        using var tokens = Tokens();
        antiforgery.Valid.Add(("tablet-a", "token-a"));

        (await IsValidAsync(tokens, Post("tablet-a", "token-a"))).ShouldBeTrue();
        (await IsValidAsync(tokens, Post("tablet-a", "token-a"))).ShouldBeTrue();

        antiforgery.Validations.ShouldBe(1);
        tokens.RememberedAccepted.ShouldBe(1);
    }

    [Fact]
    public async Task A_remembered_token_is_no_good_with_another_cookie_nor_a_remembered_cookie_with_another_token()
    {
        using var tokens = await TokensThatAcceptedAPairAsync();

        (await IsValidAsync(tokens, Post("tablet-b", "token-a"))).ShouldBeFalse();
        (await IsValidAsync(tokens, Post("tablet-a", "token-b"))).ShouldBeFalse();
        (await IsValidAsync(tokens, Post(null, "token-a"))).ShouldBeFalse();

        antiforgery.Validations.ShouldBe(4);
        tokens.RememberedAccepted.ShouldBe(1);
    }

    [Fact]
    public async Task A_refused_pair_is_never_remembered()
    {
        using var tokens = Tokens();

        (await IsValidAsync(tokens, Post("tablet-a", "forged"))).ShouldBeFalse();
        (await IsValidAsync(tokens, Post("tablet-a", "forged"))).ShouldBeFalse();

        antiforgery.Validations.ShouldBe(2);
        tokens.RememberedAccepted.ShouldBe(0);
    }

    [Fact]
    public async Task A_signed_in_post_or_one_with_a_token_header_always_asks_the_service()
    {
        using var tokens = await TokensThatAcceptedAPairAsync();

        (await IsValidAsync(tokens, Post("tablet-a", "token-a", signedIn: true))).ShouldBeFalse();
        (await IsValidAsync(tokens, Post("tablet-a", "token-a", header: "other"))).ShouldBeFalse();
        (await IsValidAsync(tokens, Post("tablet-b", "token-b", signedIn: true))).ShouldBeFalse();

        antiforgery.Validations.ShouldBe(4);
        tokens.RememberedAccepted.ShouldBe(1);
    }

    /// <summary>Makes a distinct request token per call, and a new cookie only when told to.</summary>
    private sealed class CountingAntiforgery : IAntiforgery
    {
        public int Calls { get; private set; }

        public bool IssuesNewCookie { get; set; }

        public AntiforgeryTokenSet GetAndStoreTokens(HttpContext httpContext)
        {
            Calls++;
            return new AntiforgeryTokenSet($"request-{Calls}", IssuesNewCookie ? $"cookie-{Calls}" : null, "__RequestVerificationToken", "RequestVerificationToken");
        }

        public AntiforgeryTokenSet GetTokens(HttpContext httpContext) => throw new NotSupportedException();

        public int Validations { get; private set; }

        /// <summary>The (cookie, form token) pairs it accepts, for an anonymous request without a token header.</summary>
        public HashSet<(string, string)> Valid { get; } = [];

        public Task<bool> IsRequestValidAsync(HttpContext httpContext)
        {
            Validations++;
            var request = httpContext.Request;
            var pair = (request.Cookies[CookieName] ?? "", request.Form["__RequestVerificationToken"].ToString());
            return Task.FromResult(httpContext.User.Identity?.IsAuthenticated != true && !request.Headers.ContainsKey("RequestVerificationToken") && Valid.Contains(pair));
        }

        public Task ValidateRequestAsync(HttpContext httpContext) => throw new NotSupportedException();

        public void SetCookieTokenAndHeader(HttpContext httpContext) => throw new NotSupportedException();
    }
}
