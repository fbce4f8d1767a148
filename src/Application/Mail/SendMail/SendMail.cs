using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Mail;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Mail.SendMail;

/// <summary>Sends the queued mail <paramref name="MailId"/>: the body of the job <see cref="IMailOutbox"/> queues.</summary>
public sealed record SendMailCommand(Guid MailId) : IJobCommand;

/// <summary>
/// Loads the mail, hands it to the mail server, then deletes it. A failed send throws and leaves
/// the mail for Hangfire's next attempt; a run after a successful one finds nothing and does nothing.
/// </summary>
public sealed class SendMailHandler(IDocumentStore store, IMailTransport transport) : ICommandHandler<SendMailCommand>
{
    public async ValueTask<Unit> Handle(SendMailCommand command, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var queued = await session.LoadAsync<QueuedMail>(command.MailId, cancellationToken);
        if (queued is null)
        {
            return Unit.Value;
        }

        await transport.SendAsync(queued.Id, queued.Mail, cancellationToken);
        session.Delete(queued);
        // Not the job's token: the mail is sent, so forgetting it must not be cancelled (a second send would follow).
        await session.SaveChangesAsync(CancellationToken.None);
        return Unit.Value;
    }
}
