namespace CustomerInfo.Application.Common.Mail;

/// <summary>
/// A mail waiting for its send job: a global (not tenanted) document, deleted once the mail server
/// accepted it, so addresses and sign-in links do not stay in the database.
/// </summary>
public sealed record QueuedMail(Guid Id, OutgoingMail Mail, DateTimeOffset QueuedAt);
