using System.Net.Sockets;
using CustomerInfo.Application.Common.Mail;
using CustomerInfo.Infrastructure.Mail;
using MailKit.Net.Smtp;

namespace CustomerInfo.UnitTests.Infrastructure.Mail;

public class MailKitTransportTests
{
    private static readonly OutgoingMail Mail = AccountMails.ConfirmEmail("ann@example.com", "nl", "Acme", new Uri("https://acme.example/confirm?t=1"));

    [Fact]
    public void The_message_has_a_text_and_an_html_alternative_a_stable_message_id_and_says_it_is_automatic()
    {
        var id = Guid.NewGuid();
        var sent = new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);

        var message = MimeMail.Build(id, Mail, "CustomerInfo <noreply@customerinfo.app>", sent);

        message.From.Mailboxes.Single().Address.ShouldBe("noreply@customerinfo.app");
        message.To.Mailboxes.Single().Address.ShouldBe("ann@example.com");
        message.Subject.ShouldBe("Bevestig je e-mailadres voor Acme");
        message.MessageId.ShouldBe($"{id:N}@customerinfo.app");
        message.Date.ShouldBe(sent);
        message.Headers["Auto-Submitted"].ShouldBe("auto-generated");
        message.TextBody.ShouldBe(Mail.Text);
        message.HtmlBody.ShouldBe(Mail.Html);
        message.Body.ShouldNotBeNull().ContentType.MimeType.ShouldBe("multipart/alternative");
    }

    [Fact]
    public void A_mail_without_html_is_plain_text_only()
    {
        var message = MimeMail.Build(Guid.NewGuid(), new OutgoingMail("ann@example.com", "Hi", "Hello"), SmtpOptions.DevelopmentFrom, DateTimeOffset.UnixEpoch);

        message.Body.ShouldNotBeNull().ContentType.MimeType.ShouldBe("text/plain");
        message.HtmlBody.ShouldBeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("not an address")]
    [InlineData("ann@example.com, bob@example.com")]
    [InlineData("ann@example.com\r\nBcc: eve@example.com")]
    [InlineData("@example.com")]
    public void Anything_but_one_address_is_refused_without_repeating_it(string address)
    {
        var error = Should.Throw<ArgumentException>(() => MimeMail.Recipient(address));

        if (address.Length > 0)
        {
            error.Message.ShouldNotContain(address);
        }
    }

    [Fact]
    public void A_server_refusal_is_described_by_its_code_and_step_not_by_the_servers_words()
    {
        var refusal = new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxBusy, "4.2.1 <ann@example.com> try later");

        var reason = MailKitTransport.Describe(refusal).ShouldNotBeNull();

        reason.ShouldBe("the server answered 450 (MailboxBusy) to the recipient (RCPT TO)");
        MailKitTransport.Describe(new SocketException((int)SocketError.ConnectionRefused)).ShouldBe("no connection (ConnectionRefused)");
        MailKitTransport.Describe(new InvalidOperationException("a bug")).ShouldBeNull();
    }

    [Theory]
    [InlineData(null, null, null, false, null)]
    [InlineData(null, null, null, true, "Smtp:Host (or Smtp:PickupDirectory) must be set in Production: mail has nowhere to go.")]
    [InlineData("smtp.example", null, null, true, "Smtp:From must be set in Production.")]
    [InlineData("smtp.example", "CustomerInfo <noreply@customerinfo.app>", null, true, null)]
    [InlineData(null, "noreply@customerinfo.app", "/var/mail", true, null)]
    [InlineData("smtp.example", "not a sender", null, false, "Smtp:From is not a mail address (e.g. CustomerInfo <noreply@customerinfo.app>).")]
    public void Production_must_say_where_mail_goes_and_from_whom(string? host, string? from, string? pickup, bool production, string? problem)
    {
        SmtpOptions.Problem(new SmtpOptions { Host = host, From = from, PickupDirectory = pickup }, production).ShouldBe(problem);
    }

    [Fact]
    public void Ports_timeouts_and_half_credentials_are_refused()
    {
        SmtpOptions.Problem(new SmtpOptions { Port = 0 }, false).ShouldNotBeNull();
        SmtpOptions.Problem(new SmtpOptions { TimeoutSeconds = 0 }, false).ShouldNotBeNull();
        SmtpOptions.Problem(new SmtpOptions { Username = "mailer" }, false).ShouldBe("Smtp:Username and Smtp:Password go together: set both or neither.");
        SmtpOptions.Problem(new SmtpOptions { Username = "mailer", Password = "secret" }, false).ShouldBeNull();
    }

    [Fact]
    public void Starttls_is_required_unless_configured_otherwise()
    {
        new SmtpOptions().SocketOptions.ShouldBe(MailKit.Security.SecureSocketOptions.StartTls);
        new SmtpOptions { Security = SmtpSecurity.SslOnConnect }.SocketOptions.ShouldBe(MailKit.Security.SecureSocketOptions.SslOnConnect);
        new SmtpOptions { Security = SmtpSecurity.StartTlsWhenAvailable }.SocketOptions.ShouldBe(MailKit.Security.SecureSocketOptions.StartTlsWhenAvailable);
        new SmtpOptions { Security = SmtpSecurity.None }.SocketOptions.ShouldBe(MailKit.Security.SecureSocketOptions.None);
    }
}
