using Marten;

namespace CustomerInfo.Application.Common.Mail;

/// <summary>
/// Where use cases put mail to send. The mail is stored in the database and a background job sends
/// it (ADR 13): no request waits for the mail server, a failed send is retried, and the job's only
/// argument is the mail's id, so neither the address nor a link ever reaches Hangfire.
/// </summary>
public interface IMailOutbox
{
    /// <summary>Stores the mail, commits, and queues its send job.</summary>
    /// <returns>The mail's id.</returns>
    Task<Guid> QueueAsync(OutgoingMail mail, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the mail in <paramref name="session"/>, beside the caller's other writes: it is
    /// committed with them by the caller's <c>SaveChangesAsync</c>, and its send job is queued just
    /// after that commit. A session that is never saved (or fails to save) sends nothing.
    /// Works on any session, a tenant's too: mail is not tenanted.
    /// </summary>
    /// <returns>The mail's id.</returns>
    Guid Add(IDocumentSession session, OutgoingMail mail);
}
