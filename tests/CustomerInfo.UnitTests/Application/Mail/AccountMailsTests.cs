using System.Globalization;
using System.Text.RegularExpressions;
using CustomerInfo.Application.Common.Mail;

namespace CustomerInfo.UnitTests.Application.Mail;

public partial class AccountMailsTests
{
    private const string To = "ann@example.com";
    private static readonly Uri Link = new("https://acme.customerinfo.app/account/confirm?token=abc123&x=1");

    public static TheoryData<string, string> Mails => new()
    {
        { "confirm", "en" }, { "confirm", "nl" },
        { "reset", "en" }, { "reset", "nl" },
        { "invite", "en" }, { "invite", "nl" },
        { "stores", "en" }, { "stores", "nl" },
        { "none", "en" }, { "none", "nl" },
    };

    private static OutgoingMail Build(string kind, string language, string company = "Acme") => kind switch
    {
        "confirm" => AccountMails.ConfirmEmail(To, language, company, Link),
        "reset" => AccountMails.ResetPassword(To, language, company, Link),
        "invite" => AccountMails.Invitation(To, language, company, "Bea Jansen", "Manager", Link),
        "stores" => AccountMails.YourStores(To, language, [new StoreSignIn(company, Link), new StoreSignIn("Bravo", new Uri("https://bravo.customerinfo.app/admin/sign-in"))]),
        _ => AccountMails.NoAccount(To, language, Link),
    };

    [Theory]
    [MemberData(nameof(Mails))]
    public void Every_mail_has_a_subject_a_text_part_with_the_full_link_and_an_html_part_with_it_too(string kind, string language)
    {
        var mail = Build(kind, language);

        mail.To.ShouldBe(To);
        mail.Subject.ShouldNotBeNullOrWhiteSpace();
        mail.Subject.ShouldNotContain("\n");
        mail.Text.ShouldContain(Link.AbsoluteUri);
        mail.Text.ShouldNotContain("<");
        mail.Html.ShouldNotBeNull().ShouldContain($"href=\"{Link.AbsoluteUri.Replace("&", "&amp;", StringComparison.Ordinal)}\"");
        mail.Html.ShouldContain($"<html lang=\"{language}\">");
        // Every paragraph of the text is in the HTML part too.
        foreach (var paragraph in mail.Text.Split("\n\n").Where(p => !p.Contains("://", StringComparison.Ordinal)))
        {
            mail.Html.ShouldContain(System.Net.WebUtility.HtmlEncode(paragraph.Trim()));
        }
    }

    [Theory]
    [MemberData(nameof(Mails))]
    public void The_dutch_mail_is_written_in_dutch_and_the_english_one_in_english(string kind, string language)
    {
        var english = Build(kind, "en");
        var dutch = Build(kind, "nl");

        var mail = language == "nl" ? dutch : english;
        var other = language == "nl" ? english : dutch;
        mail.Subject.ShouldNotBe(other.Subject);
        mail.Text.ShouldNotBe(other.Text);
        if (language == "nl")
        {
            DutchWord().IsMatch(mail.Text).ShouldBeTrue(mail.Text);
            // Je-vorm, as the kiosk: never the formal "u".
            FormalDutch().IsMatch(mail.Text).ShouldBeFalse(mail.Text);
        }
        else
        {
            DutchWord().IsMatch(mail.Text).ShouldBeFalse(mail.Text);
        }
    }

    [Fact]
    public void A_language_other_than_dutch_gets_english()
    {
        AccountMails.ResetPassword(To, "de", "Acme", Link).ShouldBe(AccountMails.ResetPassword(To, "en", "Acme", Link));
        AccountMails.ResetPassword(To, "NL", "Acme", Link).ShouldBe(AccountMails.ResetPassword(To, "nl", "Acme", Link));
    }

    [Theory]
    [MemberData(nameof(Mails))]
    public void Values_are_escaped_in_the_html_part_and_kept_as_typed_in_the_text(string kind, string language)
    {
        const string company = "<script>alert('x')</script> & Söhne";

        var mail = Build(kind, language, company);

        mail.Html.ShouldNotBeNull().ShouldNotContain("<script>");
        if (kind is not "none")
        {
            mail.Html.ShouldContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; S");
            (mail.Subject + mail.Text).ShouldContain(company);
        }
    }

    [Fact]
    public void An_inviter_and_a_role_with_markup_are_escaped_too()
    {
        var mail = AccountMails.Invitation(To, "en", "Acme", "<b>Bea</b>", "<i>Owner</i>", Link);

        mail.Html.ShouldNotBeNull().ShouldContain("&lt;b&gt;Bea&lt;/b&gt; has invited you");
        mail.Html.ShouldContain("Your role: &lt;i&gt;Owner&lt;/i&gt;.");
        mail.Html.ShouldNotContain("<b>");
    }

    [Theory]
    [InlineData("en", "Bea Jansen has invited you to join the team of Acme on CustomerInfo.", "This invitation expires in 7 days.")]
    [InlineData("nl", "Bea Jansen heeft je uitgenodigd voor het team van Acme op CustomerInfo.", "Deze uitnodiging verloopt over 7 dagen.")]
    public void An_invitation_says_who_invited_the_role_and_that_it_expires_in_7_days(string language, string intro, string expiry)
    {
        var mail = AccountMails.Invitation(To, language, "Acme", "Bea Jansen", "Manager", Link);

        mail.Text.ShouldStartWith(intro);
        mail.Text.ShouldContain("Manager.");
        mail.Text.ShouldContain(expiry);
    }

    [Theory]
    [InlineData("en", null, "A colleague has invited you")]
    [InlineData("en", "  ", "A colleague has invited you")]
    [InlineData("nl", null, "Een collega heeft je uitgenodigd")]
    public void An_invitation_without_the_inviters_name_comes_from_a_colleague(string language, string? inviter, string intro)
    {
        AccountMails.Invitation(To, language, "Acme", inviter, "Staff", Link).Text.ShouldStartWith(intro);
    }

    [Fact]
    public void An_invitation_valid_for_one_day_says_so_in_the_singular()
    {
        AccountMails.Invitation(To, "en", "Acme", null, "Staff", Link, expiresInDays: 1).Text.ShouldContain("This invitation expires in 1 day.");
        AccountMails.Invitation(To, "nl", "Acme", null, "Staff", Link, expiresInDays: 1).Text.ShouldContain("Deze uitnodiging verloopt over 1 dag.");
    }

    [Fact]
    public void The_stores_mail_lists_every_store_with_its_own_link()
    {
        var bravo = new Uri("https://bravo.customerinfo.app/admin/sign-in");

        var mail = AccountMails.YourStores(To, "en", [new StoreSignIn("Acme", Link), new StoreSignIn("Bravo", bravo)]);

        mail.Text.ShouldContain($"Sign in to Acme:\n{Link.AbsoluteUri}");
        mail.Text.ShouldContain($"Sign in to Bravo:\n{bravo.AbsoluteUri}");
        mail.Html.ShouldNotBeNull().ShouldContain($"<a href=\"{bravo.AbsoluteUri}\" style=\"color:#1d4ed8\">Sign in to Bravo</a>");
        Should.Throw<ArgumentOutOfRangeException>(() => AccountMails.YourStores(To, "en", []));
    }

    [Theory]
    [InlineData("en")]
    [InlineData("nl")]
    public void The_mail_for_an_unknown_address_has_the_same_subject_as_the_stores_mail(string language)
    {
        var stores = AccountMails.YourStores(To, language, [new StoreSignIn("Acme", Link)]);
        var none = AccountMails.NoAccount(To, language, new Uri("https://customerinfo.app/start"));

        none.Subject.ShouldBe(stores.Subject);
        none.Text.ShouldContain("https://customerinfo.app/start");
        none.Text.Split("\n\n")[0][..40].ShouldBe(stores.Text.Split("\n\n")[0][..40]);
    }

    [Fact]
    public void Both_languages_have_every_text_and_no_other()
    {
        var english = MailText.Names(CultureInfo.InvariantCulture).Order().ToList();
        var dutch = MailText.Names(CultureInfo.GetCultureInfo("nl")).Order().ToList();

        english.Count.ShouldBeGreaterThan(20);
        dutch.ShouldBe(english);
        MailText.Languages.ShouldBe(["en", "nl"]);
    }

    [Fact]
    public void A_mail_shows_neither_its_address_nor_its_body_as_a_string()
    {
        var mail = AccountMails.ConfirmEmail(To, "en", "Acme", Link);

        mail.ToString().ShouldNotContain(To);
        mail.ToString().ShouldNotContain("token");
    }

    [GeneratedRegex(@"\b(je|jouw|het|een|deze|bij|dan)\b")]
    private static partial Regex DutchWord();

    [GeneratedRegex(@"\b(u|uw|U|Uw)\b")]
    private static partial Regex FormalDutch();
}
