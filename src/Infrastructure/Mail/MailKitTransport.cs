using System.Net.Sockets;
using CustomerInfo.Application.Common.Mail;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using ServiceNotConnectedException = MailKit.ServiceNotConnectedException;

namespace CustomerInfo.Infrastructure.Mail;

/// <summary>
/// Sends mail with MailKit over SMTP, one connection per mail (mail is rare and a job sends one);
/// or, with <c>Smtp:PickupDirectory</c> set, writes each mail there as an .eml file instead.
/// </summary>
internal sealed partial class MailKitTransport(IOptions<SmtpOptions> options, TimeProvider time, ILogger<MailKitTransport> logger) : IMailTransport
{
    public async Task SendAsync(Guid mailId, OutgoingMail mail, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var message = MimeMail.Build(mailId, mail, settings.From ?? SmtpOptions.DevelopmentFrom, time.GetUtcNow());
        if (!string.IsNullOrWhiteSpace(settings.PickupDirectory))
        {
            var file = Path.GetFileName(await PickupDirectory.WriteAsync(settings.PickupDirectory, mailId, message, time.GetUtcNow(), cancellationToken));
            LogWritten(mailId, file);
            return;
        }

        if (string.IsNullOrWhiteSpace(settings.Host))
        {
            throw new MailNotSentException($"Mail {mailId} was not sent: neither Smtp:Host nor Smtp:PickupDirectory is set.");
        }

        using var client = new SmtpClient { Timeout = settings.TimeoutSeconds * 1000 };
        try
        {
            await client.ConnectAsync(settings.Host, settings.Port, settings.SocketOptions, cancellationToken);
            if (!string.IsNullOrWhiteSpace(settings.Username))
            {
                await client.AuthenticateAsync(settings.Username, settings.Password ?? "", cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception exception) when (Describe(exception) is { } reason && !cancellationToken.IsCancellationRequested)
        {
            // Not wrapped as the inner exception: the server's reply text can quote the recipient.
            throw new MailNotSentException($"Mail {mailId} was not sent to {settings.Host}:{settings.Port}: {reason}.");
        }

        LogSent(mailId, settings.Host);
    }

    /// <summary>What went wrong, in words of ours; null for exceptions that are not about the mail server.</summary>
    internal static string? Describe(Exception exception) => exception switch
    {
        SmtpCommandException command => $"the server answered {(int)command.StatusCode} ({command.StatusCode}) to {Step(command.ErrorCode)}",
        MailKit.Security.AuthenticationException => "the server refused the user name and password",
        MailKit.Security.SslHandshakeException => "the TLS handshake failed (certificate or protocol)",
        NotSupportedException => "the server does not offer what Smtp:Security asks for (STARTTLS)",
        SmtpProtocolException => "the server broke the SMTP protocol or closed the connection",
        SocketException socket => $"no connection ({socket.SocketErrorCode})",
        TimeoutException or OperationCanceledException => "the server did not answer in time (Smtp:TimeoutSeconds)",
        IOException or ServiceNotConnectedException => "the connection was lost",
        _ => null,
    };

    private static string Step(SmtpErrorCode code) => code switch
    {
        SmtpErrorCode.SenderNotAccepted => "the sender (MAIL FROM)",
        SmtpErrorCode.RecipientNotAccepted => "the recipient (RCPT TO)",
        SmtpErrorCode.MessageNotAccepted => "the message (DATA)",
        _ => "a command",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent mail {MailId} through {SmtpHost}")]
    private partial void LogSent(Guid mailId, string smtpHost);

    [LoggerMessage(Level = LogLevel.Information, Message = "Wrote mail {MailId} to the pickup directory as {FileName} (not sent)")]
    private partial void LogWritten(Guid mailId, string fileName);
}

/// <summary>The MIME message of a mail: text and, when given, HTML as alternatives.</summary>
internal static class MimeMail
{
    public static MimeMessage Build(Guid mailId, OutgoingMail mail, string from, DateTimeOffset now)
    {
        var sender = MailboxAddress.Parse(from);
        var message = new MimeMessage();
        message.From.Add(sender);
        message.To.Add(Recipient(mail.To));
        message.Subject = mail.Subject;
        message.Date = now;
        // The same id on every attempt, so a receiving server or client can tell a repeat.
        message.MessageId = $"{mailId:N}@{sender.Domain}";
        // RFC 3834: a machine sent this; out-of-office replies should not answer it.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Body = new BodyBuilder { TextBody = mail.Text, HtmlBody = mail.Html }.ToMessageBody();
        return message;
    }

    /// <summary>Refuses anything but one plain address; the message never repeats it.</summary>
    public static MailboxAddress Recipient(string address)
    {
        if (string.IsNullOrWhiteSpace(address) || address.Any(char.IsControl)
            || !MailboxAddress.TryParse(ParserOptions.Default, address.Trim(), out var mailbox) || mailbox.Address.IndexOf('@') <= 0)
        {
            throw new ArgumentException("The recipient is not one mail address.", nameof(address));
        }

        return mailbox;
    }
}

/// <summary>The folder mails go to instead of a server (<c>Smtp:PickupDirectory</c>), one .eml file each.</summary>
internal static class PickupDirectory
{
    public static async Task<string> WriteAsync(string directory, Guid mailId, MimeMessage message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var name = $"{now.UtcDateTime:yyyyMMdd'T'HHmmssfff}-{mailId:N}.eml";
        var path = Path.Combine(directory, name);
        // Written aside, then renamed: a reader never sees half a mail.
        var partial = Path.Combine(directory, $".{name}.partial");
        await using (var stream = File.Create(partial))
        {
            await message.WriteToAsync(stream, cancellationToken);
        }

        File.Move(partial, path, overwrite: true);
        return path;
    }
}
