using CustomerInfo.Application.Crm;
using CustomerInfo.Infrastructure.Crm.Webhook;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.TestSupport.Crm;

/// <summary>A store's CRM connection as the settings page stores it, for tests of what happens after.</summary>
public static class CrmConnections
{
    /// <summary>Connects <paramref name="store"/> to the webhook at <paramref name="url"/> signed with <paramref name="secret"/>; returns the connection id.</summary>
    public static Task<Guid> ConnectWebhookAsync(this AppFactory app, string store, string url, string secret) =>
        app.ConnectAsync(store, WebhookConnector.Kind, new Dictionary<string, string> { [WebhookConnector.UrlSetting] = url }, new Dictionary<string, string> { [WebhookConnector.SecretSetting] = secret });

    public static async Task<Guid> ConnectAsync(this AppFactory app, string store, string kind, IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> secrets, IReadOnlyList<CrmFieldMapping>? mapping = null)
    {
        var tenant = await app.TenantAsync(store);
        var connection = new CrmConnection
        {
            ConnectionId = Guid.NewGuid(),
            Kind = kind,
            Settings = settings,
            ProtectedSecrets = app.Services.GetRequiredService<ICrmSecrets>().Protect(tenant.Id, secrets),
            SecretHints = secrets.ToDictionary(s => s.Key, s => CrmConnection.Hint(s.Value)),
            Mapping = mapping ?? [],
            ConnectedAt = DateTimeOffset.UtcNow,
        };
        await using var session = app.Services.GetRequiredService<IDocumentStore>().LightweightSession(tenant.Id.ToString());
        session.Store(connection);
        await session.SaveChangesAsync();
        return connection.ConnectionId;
    }
}
