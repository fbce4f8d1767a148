using CustomerInfo.Application.Common.Tenancy;
using Marten;

namespace CustomerInfo.Application.Crm.Connection;

/// <summary>
/// The tenant's connection with what a call to its CRM needs: the connector and the settings with
/// the secrets decrypted. Used by the connection's commands; never logged (see <see cref="CrmTarget"/>).
/// </summary>
public sealed class CrmConnectionReader(IQuerySession session, ITenantContext tenant, ICrmConnectors connectors, ICrmSecrets secrets)
{
    public Task<CrmConnection?> LoadAsync(CancellationToken cancellationToken) =>
        session.LoadAsync<CrmConnection>(CrmConnection.DocumentId, cancellationToken);

    /// <summary>The active connection and its connector; null when there is none, or its connector is not registered.</summary>
    public async Task<(CrmConnection Connection, ICrmConnector Connector, CrmTarget Target)?> ActiveAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is not { Active: true } connection || connectors.Find(connection.Kind) is not { } connector)
        {
            return null;
        }

        return (connection, connector, TargetOf(connection));
    }

    /// <summary>The connection's settings with its secrets; a secret whose key is gone is simply absent (the CRM then refuses, with its reason).</summary>
    public CrmTarget TargetOf(CrmConnection connection)
    {
        var settings = new Dictionary<string, string>(connection.Settings, StringComparer.Ordinal);
        foreach (var (key, value) in SecretsOf(connection))
        {
            settings[key] = value;
        }

        return new CrmTarget(tenant.RequiredTenant.Id, connection.ConnectionId, settings, connection.Mapping);
    }

    public IReadOnlyDictionary<string, string> SecretsOf(CrmConnection connection) =>
        connection.ProtectedSecrets is { } protectedSecrets
            ? secrets.Unprotect(tenant.RequiredTenant.Id, protectedSecrets) ?? new Dictionary<string, string>()
            : new Dictionary<string, string>();
}
