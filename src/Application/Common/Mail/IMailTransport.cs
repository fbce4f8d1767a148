namespace CustomerInfo.Application.Common.Mail;

/// <summary>Hands one mail to the mail server (or, locally, writes it to a folder).</summary>
public interface IMailTransport
{
    /// <summary>
    /// Sends <paramref name="mail"/>, identified by <paramref name="mailId"/> (its Message-Id is made
    /// from it). Throws when the mail was not accepted; the exception's message never holds the
    /// address or the body.
    /// </summary>
    Task SendAsync(Guid mailId, OutgoingMail mail, CancellationToken cancellationToken);
}
