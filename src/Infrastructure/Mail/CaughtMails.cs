using Microsoft.Extensions.Options;
using MimeKit;

namespace CustomerInfo.Infrastructure.Mail;

/// <summary>A mail written to the pickup directory, as the development mail page shows it.</summary>
public sealed record CaughtMail(string FileName, string To, string Subject, DateTimeOffset Date, string Text);

/// <summary>
/// The mails in <c>Smtp:PickupDirectory</c>, newest first: what a developer would have received.
/// Only the Development mail page reads them.
/// </summary>
public sealed class CaughtMails(IOptions<SmtpOptions> options)
{
    public string? Directory => options.Value.PickupDirectory;

    public async Task<IReadOnlyList<CaughtMail>> NewestAsync(int count, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Directory) || !System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var files = new DirectoryInfo(Directory).GetFiles("*.eml")
            .OrderByDescending(f => f.Name, StringComparer.Ordinal)
            .Take(count);
        var mails = new List<CaughtMail>();
        foreach (var file in files)
        {
            await using var stream = file.OpenRead();
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            mails.Add(new CaughtMail(
                file.Name,
                string.Join(", ", message.To.Mailboxes.Select(m => m.Address)),
                message.Subject ?? "",
                message.Date,
                message.TextBody ?? ""));
        }

        return mails;
    }
}
