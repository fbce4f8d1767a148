using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Mail;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Accounts;
using JasperFx;
using Marten;

namespace CustomerInfo.Application.Crm.Push;

/// <summary>
/// Whether one connection's pushes are failing now (id: the connection's id). An episode starts with
/// the first failed attempt and ends with the next success; <see cref="Episode"/> counts them.
/// </summary>
public sealed record CrmHealthState
{
    public Guid Id { get; init; }

    public bool Failing { get; init; }

    public DateTimeOffset? FailingSince { get; init; }

    public int Episode { get; init; }
}

/// <summary>One mail about one episode, stored once: its id ("{connection}:{episode}:failing" or ":recovered") is the guard against a second.</summary>
public sealed record CrmHealthMail(string Id, DateTimeOffset SentAt);

/// <summary>
/// Tells the tenant's Owners once when pushes start failing and once when they work again, not once
/// per sign-up. Two workers that see the same change at once both try to store the episode's mail
/// record; the database lets one of them, and only that one queues the mail.
/// </summary>
public sealed class CrmHealth(IDocumentStore store, ITenantContext tenant, IMailOutbox outbox, ISiteLinks links, IClock clock)
{
    public Task FailedAsync(CrmConnection connection, CancellationToken cancellationToken) => ChangeAsync(connection, failing: true, cancellationToken);

    public Task SucceededAsync(CrmConnection connection, CancellationToken cancellationToken) => ChangeAsync(connection, failing: false, cancellationToken);

    public async Task<CrmHealthState?> CurrentAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession(tenant.RequiredTenant.Id.ToString());
        return await session.LoadAsync<CrmHealthState>(connectionId, cancellationToken);
    }

    private async Task ChangeAsync(CrmConnection connection, bool failing, CancellationToken cancellationToken)
    {
        var current = tenant.RequiredTenant;
        await using var session = store.LightweightSession(current.Id.ToString());
        var state = await session.LoadAsync<CrmHealthState>(connection.ConnectionId, cancellationToken) ?? new CrmHealthState { Id = connection.ConnectionId };
        if (state.Failing == failing)
        {
            return;
        }

        var now = clock.UtcNow;
        var next = failing
            ? state with { Failing = true, FailingSince = now, Episode = state.Episode + 1 }
            : state with { Failing = false, FailingSince = null };
        session.Insert(new CrmHealthMail($"{connection.ConnectionId:N}:{next.Episode}:{(failing ? "failing" : "recovered")}", now));
        session.Store(next);
        var owners = await session.Query<TeamMember>().Where(m => m.Role == TeamRole.Owner).ToListAsync(cancellationToken);
        var link = links.Store(current.Identifier, failing ? "/admin/signups?push=failed" : "/admin/crm");
        foreach (var owner in owners)
        {
            outbox.Add(session, failing
                ? CrmMails.Failing(owner.Email, owner.Language, current.Name, connection.Kind, link)
                : CrmMails.Recovered(owner.Email, owner.Language, current.Name, connection.Kind, link));
        }

        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (DocumentAlreadyExistsException)
        {
            // Another worker saw the same change a moment earlier and told the Owners.
        }
    }
}

/// <summary>The two mails about a connection's health, in the Owner's language.</summary>
public static class CrmMails
{
    public static OutgoingMail Failing(string to, string language, string company, string crm, Uri link)
    {
        var text = MailText.For(language);
        return new MailComposer(text)
            .Paragraph(text.CrmFailingIntro(company, CrmNames.Of(crm)))
            .Paragraph(text.CrmFailingKept)
            .Action(text.CrmFailingAction, link)
            .Build(to, text.CrmFailingSubject(company));
    }

    public static OutgoingMail Recovered(string to, string language, string company, string crm, Uri link)
    {
        var text = MailText.For(language);
        return new MailComposer(text)
            .Paragraph(text.CrmRecoveredIntro(company, CrmNames.Of(crm)))
            .Action(text.CrmRecoveredAction, link)
            .Build(to, text.CrmRecoveredSubject(company));
    }
}
