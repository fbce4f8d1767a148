namespace CustomerInfo.Application.SignUps.SubmitSignUp;

/// <summary>
/// The mail domains most shoppers use (international and Dutch/Belgian/German providers). The form
/// offers "did you mean …?" when a typed domain is a near miss of one of these; this is the only list.
/// </summary>
public static class CommonEmailDomains
{
    public static IReadOnlyList<string> All { get; } =
    [
        "gmail.com", "googlemail.com", "hotmail.com", "hotmail.nl", "hotmail.co.uk", "outlook.com", "live.com", "live.nl", "msn.com",
        "yahoo.com", "yahoo.co.uk", "icloud.com", "me.com", "aol.com", "proton.me", "protonmail.com", "gmx.com", "gmx.de", "gmx.net",
        "web.de", "t-online.de", "ziggo.nl", "kpnmail.nl", "kpnplanet.nl", "planet.nl", "home.nl", "xs4all.nl", "telfort.nl",
        "hetnet.nl", "upcmail.nl", "chello.nl", "caiway.nl", "online.nl", "skynet.be", "telenet.be", "orange.fr", "free.fr",
    ];
}
