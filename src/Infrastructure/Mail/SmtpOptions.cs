using MailKit.Security;
using MimeKit;

namespace CustomerInfo.Infrastructure.Mail;

/// <summary>How the connection to the mail server is protected (<c>Smtp:Security</c>).</summary>
public enum SmtpSecurity
{
    /// <summary>Plain connection, then STARTTLS, which the server must offer (submission, port 587). The default.</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,

    /// <summary>STARTTLS when the server offers it, else plain text: only for a relay on a trusted network.</summary>
    StartTlsWhenAvailable,

    /// <summary>Never TLS: local mail catchers (Mailpit) and the tests' fake server.</summary>
    None,
}

/// <summary>Outgoing mail, section <c>Smtp</c> (docs/configuration.md).</summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    /// <summary>The sender outside Production when <see cref="From"/> is not set.</summary>
    public const string DevelopmentFrom = "CustomerInfo <noreply@localhost>";

    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender, e.g. <c>CustomerInfo &lt;noreply@customerinfo.app&gt;</c>.</summary>
    public string? From { get; set; }

    /// <summary>When set, each mail is written to this folder as an .eml file instead of being sent.</summary>
    public string? PickupDirectory { get; set; }

    /// <summary>Seconds each step (connect, each command, the data) may take before the attempt fails.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    internal SecureSocketOptions SocketOptions => Security switch
    {
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        SmtpSecurity.StartTlsWhenAvailable => SecureSocketOptions.StartTlsWhenAvailable,
        SmtpSecurity.None => SecureSocketOptions.None,
        _ => SecureSocketOptions.StartTls,
    };

    /// <summary>What is wrong with these settings, or null. Production must say where mail goes and from whom.</summary>
    public static string? Problem(SmtpOptions options, bool production)
    {
        if (options.Port is < 1 or > 65535)
        {
            return "Smtp:Port must be 1 to 65535.";
        }

        if (options.TimeoutSeconds is < 1 or > 300)
        {
            return "Smtp:TimeoutSeconds must be 1 to 300.";
        }

        if (string.IsNullOrWhiteSpace(options.Username) != string.IsNullOrWhiteSpace(options.Password))
        {
            return "Smtp:Username and Smtp:Password go together: set both or neither.";
        }

        if (!string.IsNullOrWhiteSpace(options.From) && !MailboxAddress.TryParse(options.From, out _))
        {
            return "Smtp:From is not a mail address (e.g. CustomerInfo <noreply@customerinfo.app>).";
        }

        if (production && string.IsNullOrWhiteSpace(options.Host) && string.IsNullOrWhiteSpace(options.PickupDirectory))
        {
            return "Smtp:Host (or Smtp:PickupDirectory) must be set in Production: mail has nowhere to go.";
        }

        if (production && string.IsNullOrWhiteSpace(options.From))
        {
            return "Smtp:From must be set in Production.";
        }

        return null;
    }
}
