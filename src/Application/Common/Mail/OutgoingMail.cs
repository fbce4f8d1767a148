namespace CustomerInfo.Application.Common.Mail;

/// <summary>
/// A mail to one recipient, rendered already: a plain-text part always, an HTML part when given.
/// The sender is the platform's (<c>Smtp:From</c>), so it is not part of the message.
/// </summary>
/// <param name="To">The recipient's address, e.g. <c>ann@example.com</c>.</param>
/// <param name="Subject">One line.</param>
/// <param name="Text">The plain-text body, with every link written out in full.</param>
/// <param name="Html">An HTML body with the same content, its values escaped; or none.</param>
public sealed record OutgoingMail(string To, string Subject, string Text, string? Html = null)
{
    /// <summary>Keeps the address and the body (which may hold a sign-in link) out of logs and exception messages.</summary>
    public override string ToString() => $"{nameof(OutgoingMail)} ({Text.Length} characters)";
}
