namespace CustomerInfo.Infrastructure.Mail;

/// <summary>
/// The mail server did not take a mail. Its message names the mail by id and says what failed, but
/// never repeats the server's own words: a refusal often quotes the recipient's address, and this
/// message is logged and stored by Hangfire.
/// </summary>
public sealed class MailNotSentException(string message) : Exception(message);
