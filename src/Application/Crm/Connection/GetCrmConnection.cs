using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.SignUps;
using CustomerInfo.Application.Stores;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Crm.Connection;

/// <summary>What the CRM page shows: the connectors on offer, the connection (secrets as hints only), and our fields to map.</summary>
[RequiresRole(TeamRole.Manager)]
public sealed record GetCrmConnectionQuery : IQuery<CrmConnectionView>;

/// <param name="Current">The connection, also when disconnected (its kind and plain settings pre-fill the form); null before the first connect.</param>
/// <param name="Sources">Our side of the mapping: the built-in fields, then the published form's own questions.</param>
public sealed record CrmConnectionView(IReadOnlyList<CrmConnectorInfo> Connectors, CrmConnectionState? Current, IReadOnlyList<CrmSource> Sources)
{
    /// <summary>The retailer's time zone (<see cref="TenantTimeZone"/>), in which the page shows times, as the rest of the admin does.</summary>
    public string TimeZone { get; init; } = Domain.Stores.StoreTimeZones.Default;

    /// <summary>The latest shopper erasures sent to the CRM, newest first.</summary>
    public IReadOnlyList<Erasure.CrmErasureRow> Erasures { get; init; } = [];

    /// <summary>
    /// How many failed erasures of the store a retry can still reach, listed or not (the list shows the latest 20):
    /// the page offers "Retry all failed erasures" whenever there is one.
    /// </summary>
    public int RetryableErasures { get; init; }

    public bool Connected => Current is { Active: true };

    public CrmConnectorInfo? Connector => Current is { } current ? Connectors.FirstOrDefault(c => c.Kind == current.Kind) : null;
}

/// <summary>The connection without its secrets: <see cref="SecretHints"/> show their last characters. <see cref="ConnectedByEmail"/>: the member who connected it, while they are in the team.</summary>
public sealed record CrmConnectionState(
    string Kind,
    bool Active,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyDictionary<string, string> SecretHints,
    IReadOnlyList<CrmFieldMapping> Mapping,
    DateTimeOffset ConnectedAt,
    string? ConnectedBy,
    string? ConnectedByEmail,
    bool Failing,
    DateTimeOffset? FailingSince);

/// <summary>One of our fields: <see cref="Key"/> is a <see cref="CrmSources"/> key; <see cref="Label"/> is the question's label (null for built-in fields, which the page words).</summary>
public sealed record CrmSource(string Key, LocalizedText? Label);

public sealed class GetCrmConnectionHandler(IQuerySession session, CrmConnectionReader reader, ICrmConnectors connectors, FormDefinitions forms, ITenantContext tenant)
    : IQueryHandler<GetCrmConnectionQuery, CrmConnectionView>
{
    public async ValueTask<CrmConnectionView> Handle(GetCrmConnectionQuery query, CancellationToken cancellationToken)
    {
        var connection = await reader.LoadAsync(cancellationToken);
        var by = connection?.ConnectedBy is { } actor && actor.StartsWith("member:", StringComparison.Ordinal) && Guid.TryParse(actor.AsSpan("member:".Length), out var memberId)
            ? await session.LoadAsync<TeamMember>(memberId, cancellationToken)
            : null;
        // Whether pushes are failing is the push pipeline's record, per connection (CrmHealth).
        var health = connection is null ? null : await session.LoadAsync<Push.CrmHealthState>(connection.ConnectionId, cancellationToken);
        var state = connection is null ? null : new CrmConnectionState(
            connection.Kind,
            connection.Active,
            connection.Settings,
            connection.SecretHints,
            connection.Mapping,
            connection.ConnectedAt,
            connection.ConnectedBy,
            by?.Email,
            connection.Active && health is { Failing: true },
            health?.FailingSince);
        var erasures = await session.Query<Erasure.CrmErasureRequest>().OrderByDescending(r => r.RequestedAt).Take(20).ToListAsync(cancellationToken);
        return new CrmConnectionView(connectors.All, state, await CrmSourcesOf.FormAsync(forms, tenant, cancellationToken))
        {
            TimeZone = TenantTimeZone.Of(await session.Query<Domain.Stores.RetailStore>().ToListAsync(cancellationToken)),
            Erasures = [.. erasures.Select(r => Erasure.CrmErasureRow.Of(r, connection))],
            RetryableErasures = await Erasure.CrmErasureRetry.Retryable(session.Query<Erasure.CrmErasureRequest>(), connection).CountAsync(cancellationToken),
        };
    }
}

/// <summary>Our fields a mapping may name: the built-in ones, and the questions of the form shoppers see now.</summary>
public static class CrmSourcesOf
{
    public static async Task<IReadOnlyList<CrmSource>> FormAsync(FormDefinitions forms, ITenantContext tenant, CancellationToken cancellationToken)
    {
        var definition = await forms.CurrentAsync(tenant.RequiredTenant, cancellationToken);
        return [.. CrmSources.BuiltIn.Select(key => new CrmSource(key, null)), .. definition.Questions.Select(q => new CrmSource(CrmSources.Question(q.Key), q.Label))];
    }
}
