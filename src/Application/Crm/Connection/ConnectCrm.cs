using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Common.Text;
using CustomerInfo.Application.Crm.Push;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using FluentValidation;
using FluentValidation.Results;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Crm.Connection;

/// <summary>
/// Connects the tenant's CRM, or changes the settings of the one connected. <see cref="Settings"/> are
/// as typed, by <see cref="CrmSettingField.Key"/>; a secret left empty keeps the stored one when the
/// same CRM stays connected. Generated settings (the webhook's signing secret) are made here and
/// kept on later edits, unless <see cref="NewSecrets"/> asks for new ones.
/// </summary>
[RequiresRole(TeamRole.Manager)]
public sealed record ConnectCrmCommand(string? Kind, IReadOnlyDictionary<string, string?>? Settings, bool NewSecrets = false) : ICommand<ConnectCrmOutcome>
{
    /// <summary>Never the settings: they hold the CRM's credentials.</summary>
    public override string ToString() => $"ConnectCrmCommand {{ Kind = {Kind} }}";
}

/// <summary>
/// What connecting did. <see cref="Refused"/>: the CRM's test call failed, with its reason, and
/// nothing was stored. Otherwise connected: <see cref="Generated"/> holds the secrets made now, shown
/// this once and never again; <see cref="Switched"/>: another CRM was connected before, so only new
/// sign-ups go here unless the history is sent; <see cref="QueuedWaiting"/>: the sign-ups that waited
/// for a connection are being pushed; <see cref="RequeuedRefused"/>: new credentials passed their test,
/// so the sign-ups this connection's CRM refused for the old ones are being sent again (as after a passing
/// "Test connection", <see cref="CrmCredentialFailures"/>).
/// </summary>
public sealed record ConnectCrmOutcome(CrmResult? Refused, IReadOnlyDictionary<string, string> Generated, bool Switched, bool QueuedWaiting, bool Tested)
{
    public bool RequeuedRefused { get; init; }

    public bool Connected => Refused is null;

    public override string ToString() => $"ConnectCrmOutcome {{ Connected = {Connected}, Switched = {Switched} }}";
}

/// <summary>What any setting may be: at most this long, one line. Each connector checks the rest.</summary>
public static class CrmSettingLimits
{
    public const int MaxLength = 2000;

    /// <summary>
    /// No invisible control characters (the one rule, <see cref="ControlCharacters"/>), and none of what
    /// that rule lets through as text: a line break, or a tab (a key, an address or a field name is one
    /// token; a tab is a paste from a spreadsheet, refused here rather than by the CRM at the next push).
    /// </summary>
    public static bool IsOneLine(string? value) =>
        ControlCharacters.AreAbsentFrom(value) && (value is null || value.AsSpan().IndexOfAny('\t', '\n', '\r') < 0);
}

public sealed class ConnectCrmValidator : AbstractValidator<ConnectCrmCommand>
{
    public ConnectCrmValidator(ICrmConnectors connectors)
    {
        RuleFor(c => c.Kind).Must(kind => kind is not null && connectors.Find(kind) is not null).WithMessage("Choose a CRM from the list.");
        RuleFor(c => c).Custom((command, context) =>
        {
            if (command.Kind is null || connectors.Find(command.Kind) is not { } connector || command.Settings is null)
            {
                return;
            }

            foreach (var field in connector.Info.Settings)
            {
                if (!command.Settings.TryGetValue(field.Key, out var value) || value is null)
                {
                    continue;
                }

                if (value.Length > CrmSettingLimits.MaxLength)
                {
                    context.AddFailure(new ValidationFailure(SettingProperty(field.Key), "Keep each setting to 2000 characters."));
                }
                else if (!CrmSettingLimits.IsOneLine(value))
                {
                    context.AddFailure(new ValidationFailure(SettingProperty(field.Key), "A setting can't contain line breaks or invisible control characters."));
                }
            }
        });
    }

    public static string SettingProperty(string key) => $"{nameof(ConnectCrmCommand.Settings)}[{key}]";
}

/// <summary>
/// Decides the settings (typed, kept or generated), has the connector check them, tests them with one
/// call, and stores the connection. The connector's check runs here, not in the validator, because it
/// needs the stored secrets this handler decrypts; its findings are thrown the validator's way, so the
/// page shows each beside its field.
/// <para>
/// Which connection this is: the same CRM kind while connected is an edit and keeps its
/// <see cref="CrmConnection.ConnectionId"/> (a new token for the same account must not make every
/// sign-up look unsent); another kind, or connecting after a disconnect, is a new connection with a
/// new id. When no connection was active, the sign-ups that waited are queued (<see cref="CrmQueueReason.Connected"/>);
/// a switch from another CRM pushes from now on, and the history only when a Manager sends it.
/// </para>
/// </summary>
public sealed class ConnectCrmHandler(
    IDocumentSession session, CrmConnectionReader reader, ICrmConnectors connectors, ICrmSecrets secrets, ITenantContext tenant, ActorContext actors, IBackgroundJobs jobs, IClock clock)
    : ICommandHandler<ConnectCrmCommand, ConnectCrmOutcome>
{
    public async ValueTask<ConnectCrmOutcome> Handle(ConnectCrmCommand command, CancellationToken cancellationToken)
    {
        var connector = connectors.Find(command.Kind!)!;
        var info = connector.Info;
        var tenantId = tenant.RequiredTenant.Id;
        var existing = await reader.LoadAsync(cancellationToken);
        var edit = existing is { Active: true } && existing.Kind == info.Kind;
        var kept = edit ? reader.SecretsOf(existing!) : new Dictionary<string, string>();
        var typed = command.Settings ?? new Dictionary<string, string?>();

        var plain = new Dictionary<string, string>(StringComparer.Ordinal);
        var hidden = new Dictionary<string, string>(StringComparer.Ordinal);
        var generated = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in info.Settings)
        {
            var value = typed.GetValueOrDefault(field.Key)?.Trim();
            if (field.Kind == CrmSettingKind.List)
            {
                // Chosen from the CRM's lists once the credentials work (the mapping form).
                value = existing?.Kind == info.Kind ? existing.Settings.GetValueOrDefault(field.Key) : null;
            }
            else if (field.Generated)
            {
                value = !command.NewSecrets && kept.TryGetValue(field.Key, out var old) ? old : null;
                if (value is null)
                {
                    value = CrmSettingField.NewSecret();
                    generated[field.Key] = value;
                }
            }
            else if (field.Secret && string.IsNullOrEmpty(value))
            {
                value = kept.GetValueOrDefault(field.Key);
            }

            if (!string.IsNullOrEmpty(value))
            {
                (field.Secret ? hidden : plain)[field.Key] = value;
            }
        }

        var all = plain.Concat(hidden).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var lists = info.Settings.Where(f => f.Kind == CrmSettingKind.List).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var problems = connector.Check(all).Where(e => !(lists.Contains(e.Key) && e.Problem == CrmSettingProblem.Missing)).ToList();
        if (problems.Count > 0)
        {
            throw new ValidationException(problems.DistinctBy(p => p.Key).Select(p => new ValidationFailure(ConnectCrmValidator.SettingProperty(p.Key), CrmSettingMessages.For(p.Problem)) { ErrorCode = p.Problem.ToString() }));
        }

        var connectionId = edit ? existing!.ConnectionId : Guid.NewGuid();
        var mapping = existing?.Kind == info.Kind ? existing.Mapping : [];

        // A receiver that checks signatures cannot know a secret made just now, so its test waits for the Manager's "Test connection".
        var tested = generated.Count == 0;
        if (tested)
        {
            var result = await connector.TestAsync(new CrmTarget(tenantId, connectionId, all, mapping), cancellationToken);
            if (!result.Succeeded)
            {
                return new ConnectCrmOutcome(result, new Dictionary<string, string>(), false, false, Tested: true);
            }
        }

        var now = clock.UtcNow;
        session.Store(new CrmConnection
        {
            ConnectionId = connectionId,
            Kind = info.Kind,
            Settings = plain,
            ProtectedSecrets = hidden.Count > 0 ? secrets.Protect(tenantId, hidden) : null,
            SecretHints = hidden.ToDictionary(p => p.Key, p => CrmConnection.Hint(p.Value), StringComparer.Ordinal),
            Mapping = mapping,
            ConnectedAt = edit ? existing!.ConnectedAt : now,
            ConnectedBy = edit ? existing!.ConnectedBy : actors.Current.Id,
            Active = true,
        });
        // The audit log's fact (ADR 26): the kind and ids only, never the settings.
        session.Events.Append(connectionId, edit
            ? new CrmSettingsChanged(connectionId, info.Kind, command.NewSecrets, now)
            : new CrmConnected(connectionId, info.Kind, now));
        await session.SaveChangesAsync(cancellationToken);

        // After the commit: the job reads the connection, and finds nothing to push before it exists.
        var wasActive = existing is { Active: true };
        if (!wasActive)
        {
            jobs.Enqueue(new QueueCrmPushesCommand(tenantId, CrmQueueReason.Connected), JobLane.Crm);
        }

        // Settings of this connection edited and tested: what its CRM refused for the credentials goes again.
        var requeued = edit && tested
            && await CrmCredentialFailures.Of(session.Query<SignUps.ListSignUps.SignUpSummary>(), connectionId).AnyAsync(cancellationToken);
        if (requeued)
        {
            jobs.Enqueue(new QueueCrmPushesCommand(tenantId, CrmQueueReason.CredentialsFixed), JobLane.Crm);
        }

        return new ConnectCrmOutcome(null, generated, Switched: wasActive && !edit, QueuedWaiting: !wasActive, tested) { RequeuedRefused = requeued };
    }
}

/// <summary>The validator-style messages (English; the page words them in its language) for what a connector's check found.</summary>
public static class CrmSettingMessages
{
    public static string For(CrmSettingProblem problem) => problem switch
    {
        CrmSettingProblem.Missing => "Fill in this setting.",
        CrmSettingProblem.InvalidUrl => "Enter a full web address, like https://example.com/hook.",
        CrmSettingProblem.NotHttps => "Use an https:// address on the standard port (443).",
        CrmSettingProblem.PrivateAddress => "This address is on a private network. Enter an address on the internet.",
        _ => "This does not look right. Copy it again from your CRM, without spaces.",
    };
}
