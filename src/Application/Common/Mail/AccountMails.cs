namespace CustomerInfo.Application.Common.Mail;

/// <summary>A store the "your stores" mail lists: its name and where its admin signs in.</summary>
public sealed record StoreSignIn(string Name, Uri SignInLink);

/// <summary>
/// The mails of accounts and sign-in, in the retailer's language ("en" or "nl"; anything else is
/// English). Each gives a plain-text part and an HTML part with the same content; queue the result
/// with <see cref="IMailOutbox"/>.
/// </summary>
public static class AccountMails
{
    /// <summary>Days an invitation stays valid, as the invitation mail says.</summary>
    public const int InvitationDays = 7;

    /// <summary>"Confirm your email address": sent when someone signs up or changes their address.</summary>
    public static OutgoingMail ConfirmEmail(string to, string language, string companyName, Uri confirmLink)
    {
        var text = MailText.For(language);
        return new MailComposer(text)
            .Paragraph(text.ConfirmIntro(companyName))
            .Action(text.ConfirmAction, confirmLink)
            .Paragraph(text.ConfirmIgnore)
            .Build(to, text.ConfirmSubject(companyName));
    }

    /// <summary>"Reset your password".</summary>
    public static OutgoingMail ResetPassword(string to, string language, string companyName, Uri resetLink)
    {
        var text = MailText.For(language);
        return new MailComposer(text)
            .Paragraph(text.ResetIntro(companyName))
            .Action(text.ResetAction, resetLink)
            .Paragraph(text.ResetIgnore)
            .Build(to, text.ResetSubject(companyName));
    }

    /// <summary>
    /// An invitation to join a retailer's team. <paramref name="inviterName"/> is the inviter's display
    /// name, or null for "a colleague"; <paramref name="roleName"/> the role as the admin shows it.
    /// </summary>
    public static OutgoingMail Invitation(
        string to, string language, string companyName, string? inviterName, string roleName, Uri acceptLink, int expiresInDays = InvitationDays)
    {
        var text = MailText.For(language);
        var inviter = string.IsNullOrWhiteSpace(inviterName) ? text.InviteColleague : inviterName.Trim();
        return new MailComposer(text)
            .Paragraph(text.InviteIntro(inviter, companyName))
            .Paragraph(text.InviteRole(roleName))
            .Action(text.InviteAction, acceptLink)
            .Paragraph(text.InviteExpires(expiresInDays))
            .Paragraph(text.InviteIgnore)
            .Build(to, text.InviteSubject(companyName));
    }

    /// <summary>
    /// "Your stores", from the apex sign-in: every store the address has an account at, each with its
    /// admin's sign-in link. Same subject as <see cref="NoAccount"/>, so the two cannot be told apart
    /// from the outside.
    /// </summary>
    public static OutgoingMail YourStores(string to, string language, IReadOnlyList<StoreSignIn> stores)
    {
        ArgumentOutOfRangeException.ThrowIfZero(stores.Count);
        var text = MailText.For(language);
        return new MailComposer(text)
            .Paragraph(text.StoresIntro)
            .Links(stores.Select(s => (text.StoresSignIn(s.Name), s.SignInLink)))
            .Paragraph(text.StoresIgnore)
            .Build(to, text.StoresSubject);
    }

    /// <summary>The "your stores" mail for an address no account uses: says so, and offers a free trial.</summary>
    public static OutgoingMail NoAccount(string to, string language, Uri trialLink)
    {
        var text = MailText.For(language);
        return new MailComposer(text)
            .Paragraph(text.NoAccountIntro)
            .Paragraph(text.NoAccountOtherAddress)
            .Paragraph(text.NoAccountTrial)
            .Action(text.NoAccountAction, trialLink)
            .Paragraph(text.StoresIgnore)
            .Build(to, text.StoresSubject);
    }
}
