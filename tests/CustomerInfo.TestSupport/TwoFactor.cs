using System.Net;
using System.Text.RegularExpressions;
using CustomerInfo.Application.Accounts.TwoFactor;
using CustomerInfo.Domain.Accounts;
using Marten;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace CustomerInfo.TestSupport;

/// <summary>Two-factor sign-in for test members: an authenticator app's codes, computed as the app does.</summary>
public static partial class TwoFactor
{
    /// <summary>The code an app shows now for <paramref name="base32Key"/>; <paramref name="stepsAhead"/> for the next one (still in the window).</summary>
    public static string CodeFor(string base32Key, int stepsAhead = 0) =>
        Totp.Code(Base32.Decode(base32Key)!, Totp.TimeStepAt(DateTimeOffset.UtcNow) + stepsAhead);

    /// <summary>Turns two-factor sign-in on for a member as setting it up does, without the page: returns the key and recovery codes.</summary>
    public static async Task<(string Key, IReadOnlyList<string> RecoveryCodes)> EnableAsync(AppFactory app, string store, string email)
    {
        await using var scope = await StoreScope.EnterAsync(app, store);
        var members = scope.ServiceProvider.GetRequiredService<UserManager<TeamMember>>();
        var member = (await members.FindByEmailAsync(email))!;
        var key = members.GenerateNewAuthenticatorKey();
        await scope.ServiceProvider.GetRequiredService<IUserAuthenticatorKeyStore<TeamMember>>().SetAuthenticatorKeyAsync(member, key, default);
        var codes = (await members.GenerateNewTwoFactorRecoveryCodesAsync(member, RecoveryCodes.Count))!.ToList();
        (await members.SetTwoFactorEnabledAsync(member, true)).Succeeded.ShouldBeTrue();
        return (key, codes);
    }

    /// <summary>The password step then the code step, as a browser does; returns the code step's answer.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string code, string password = Members.Password)
    {
        var passwordStep = await Members.SignInAsync(client, email, password);
        passwordStep.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        passwordStep.Headers.Location!.ToString().ShouldStartWith("/admin/signin/code");
        return await Forms.PostAsync(client, "/admin/signin/code", new Dictionary<string, string> { ["Code"] = code });
    }

    /// <summary>The key the account security page shows for manual entry (grouped, lower case) as one base32 string.</summary>
    public static string KeyOnPage(string html) =>
        SetupKey().Match(html) is { Success: true } match ? match.Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()
            : throw new InvalidOperationException("The page shows no key.");

    public static IReadOnlyList<string> RecoveryCodesOnPage(string html) =>
        RecoveryCode().Matches(html).Select(m => m.Groups[1].Value).ToList();

    /// <summary>The events of a member's stream, with their headers.</summary>
    public static async Task<IReadOnlyList<JasperFx.Events.IEvent>> EventsOfAsync(AppFactory app, string store, Guid memberId)
    {
        await using var scope = await StoreScope.EnterAsync(app, store);
        return await scope.ServiceProvider.GetRequiredService<IDocumentSession>().Events.FetchStreamAsync(memberId);
    }

    [GeneratedRegex("id=\"setup-key\">([a-z2-7 ]+)<")]
    private static partial Regex SetupKey();

    [GeneratedRegex("<li><code>([A-Z0-9-]+)</code></li>")]
    private static partial Regex RecoveryCode();
}
