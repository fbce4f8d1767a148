using System.Globalization;
using System.Resources;

namespace CustomerInfo.Application.Common.Mail;

/// <summary>
/// The wording of the account mails in one language (MailText.resx, MailText.nl.resx): Dutch for
/// "nl", English for anything else. Each text is a method, so a missing or misspelt name does not compile.
/// </summary>
public sealed class MailText
{
    public const string English = "en";
    public const string Dutch = "nl";

    private static readonly ResourceManager Resources = new(typeof(MailText));

    private MailText(CultureInfo culture) => Culture = culture;

    /// <summary>The languages mail is written in.</summary>
    public static IReadOnlyList<string> Languages { get; } = [English, Dutch];

    public CultureInfo Culture { get; }

    /// <summary>The language's two-letter code, for the HTML part's <c>lang</c>.</summary>
    public string Language => Culture.TwoLetterISOLanguageName;

    /// <summary>English mail writes its dates as in Britain ("3 December 2026", "03/12/2026"), as the admin does.</summary>
    public static MailText For(string? language) =>
        new(CultureInfo.GetCultureInfo(string.Equals(language, Dutch, StringComparison.OrdinalIgnoreCase) ? Dutch : "en-GB"));

    public string ConfirmSubject(string company) => Format(nameof(ConfirmSubject), company);

    public string ConfirmIntro(string company) => Format(nameof(ConfirmIntro), company);

    public string ConfirmAction => Get(nameof(ConfirmAction));

    public string ConfirmIgnore => Get(nameof(ConfirmIgnore));

    public string ResetSubject(string company) => Format(nameof(ResetSubject), company);

    public string ResetIntro(string company) => Format(nameof(ResetIntro), company);

    public string ResetAction => Get(nameof(ResetAction));

    public string ResetIgnore => Get(nameof(ResetIgnore));

    public string CrmFailingSubject(string company) => Format(nameof(CrmFailingSubject), company);

    public string CrmFailingIntro(string company, string crm) => Format(nameof(CrmFailingIntro), company, crm);

    public string CrmFailingKept => Get(nameof(CrmFailingKept));

    public string CrmFailingAction => Get(nameof(CrmFailingAction));

    public string CrmRecoveredSubject(string company) => Format(nameof(CrmRecoveredSubject), company);

    public string CrmRecoveredIntro(string company, string crm) => Format(nameof(CrmRecoveredIntro), company, crm);

    public string CrmRecoveredAction => Get(nameof(CrmRecoveredAction));

    public string InviteSubject(string company) => Format(nameof(InviteSubject), company);

    public string InviteIntro(string inviter, string company) => Format(nameof(InviteIntro), inviter, company);

    /// <summary>Who invited, when the inviter has no display name.</summary>
    public string InviteColleague => Get(nameof(InviteColleague));

    public string InviteRole(string role) => Format(nameof(InviteRole), role);

    public string InviteAction => Get(nameof(InviteAction));

    public string InviteExpires(int days) => days == 1 ? Get("InviteExpiresOne") : Format("InviteExpiresMany", days);

    public string InviteIgnore => Get(nameof(InviteIgnore));

    public string StoresSubject => Get(nameof(StoresSubject));

    public string StoresIntro => Get(nameof(StoresIntro));

    public string StoresSignIn(string store) => Format(nameof(StoresSignIn), store);

    public string StoresIgnore => Get(nameof(StoresIgnore));

    public string NoAccountIntro => Get(nameof(NoAccountIntro));

    public string NoAccountOtherAddress => Get(nameof(NoAccountOtherAddress));

    public string NoAccountTrial => Get(nameof(NoAccountTrial));

    public string NoAccountAction => Get(nameof(NoAccountAction));

    /// <summary>Under an HTML button: where to find its address if the button does not work.</summary>
    public string LinkFallback => Get(nameof(LinkFallback));

    /// <summary>The names of every text, for the test that both languages have them all.</summary>
    internal static IEnumerable<string> Names(CultureInfo culture) =>
        Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)?.Cast<System.Collections.DictionaryEntry>().Select(e => (string)e.Key) ?? [];

    private string Get(string name) =>
        Resources.GetString(name, Culture) ?? throw new InvalidOperationException($"Mail text '{name}' is missing.");

    private string Format(string name, params object[] values) => string.Format(Culture, Get(name), values);
}
