using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Mail;
using CustomerInfo.Application.Mail.SendMail;
using Marten;
using Marten.Services;
using Microsoft.Extensions.Logging;

namespace CustomerInfo.Infrastructure.Mail;

/// <summary>
/// Keeps each mail as a <see cref="QueuedMail"/> document and queues a <see cref="SendMailCommand"/>
/// job (its only argument the mail's id) once that document is committed (ADR 13).
/// </summary>
internal sealed partial class MartenMailOutbox(IDocumentStore store, IBackgroundJobs jobs, IClock clock, ILogger<MartenMailOutbox> logger) : IMailOutbox
{
    public async Task<Guid> QueueAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var id = Add(session, mail);
        await session.SaveChangesAsync(cancellationToken);
        return id;
    }

    public Guid Add(IDocumentSession session, OutgoingMail mail)
    {
        MimeMail.Recipient(mail.To);
        ArgumentException.ThrowIfNullOrWhiteSpace(mail.Subject);
        ArgumentException.ThrowIfNullOrWhiteSpace(mail.Text);
        if (mail.Subject.Any(char.IsControl))
        {
            throw new ArgumentException("A subject is one line.", nameof(mail));
        }

        var queued = new QueuedMail(Guid.NewGuid(), mail, clock.UtcNow);
        session.Insert(queued);
        session.Listeners.Add(new EnqueueAfterCommit(queued.Id, this));
        return queued.Id;
    }

    /// <summary>
    /// After the commit, not before: a job queued first could run before the mail is there. Should
    /// queueing fail now (the database gone in the moment since the commit), the caller's work is
    /// saved all the same, so this logs rather than throws; the mail waits in the database.
    /// </summary>
    private void Enqueue(Guid mailId)
    {
        try
        {
            jobs.Enqueue(new SendMailCommand(mailId), JobLane.Mail);
        }
        catch (Exception exception)
        {
            LogNotQueued(exception, mailId);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Mail {MailId} was saved but its send job could not be queued; it waits in the database unsent")]
    private partial void LogNotQueued(Exception exception, Guid mailId);

    private sealed class EnqueueAfterCommit(Guid mailId, MartenMailOutbox outbox) : DocumentSessionListenerBase
    {
        public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
        {
            outbox.Enqueue(mailId);
            return Task.CompletedTask;
        }
    }
}
