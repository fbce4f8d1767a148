using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Crm;
using CustomerInfo.Domain.SignUps;
using Hangfire;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.TestSupport;

/// <summary>
/// A store's CRM connection, and push outcomes appended to sign-up streams through a session of the
/// store, as the push job appends them; and the jobs waiting on the crm queue (no Hangfire server runs
/// in the tests, so what was enqueued stays there to be read).
/// </summary>
public static class CrmPushData
{
    /// <summary>Stores the store's connection document (an active webhook, unless <paramref name="active"/> is false).</summary>
    /// <returns>The connection's id.</returns>
    public static async Task<Guid> ConnectCrmAsync(this AppFactory app, string tenant, bool active = true, string kind = "webhook")
    {
        var connectionId = Guid.NewGuid();
        await using var session = await SessionAsync(app, tenant);
        session.Store(new CrmConnection
        {
            ConnectionId = connectionId,
            Kind = kind,
            Settings = new Dictionary<string, string> { ["url"] = "https://crm.example.test/hooks" },
            ConnectedAt = DateTimeOffset.UtcNow,
            Active = active,
        });
        await session.SaveChangesAsync();
        return connectionId;
    }

    /// <param name="emailOptedOut">The CRM has the shopper opted out of all email, so the consent was not applied (HubSpot).</param>
    public static Task PushedAsync(this AppFactory app, string tenant, Guid signUpId, Guid connectionId, string? recordId, DateTimeOffset at, int attempt = 1, string crm = "webhook", bool emailOptedOut = false) =>
        AppendAsync(app, tenant, signUpId, new SignUpPushedToCrm(signUpId, connectionId, crm, recordId, Delivery(signUpId), attempt, at, EmailOptedOut: emailOptedOut));

    /// <param name="nextAttemptAt">Set: retrying; null: failed for good.</param>
    public static Task PushFailedAsync(this AppFactory app, string tenant, Guid signUpId, Guid connectionId, string reason, DateTimeOffset at, DateTimeOffset? nextAttemptAt = null, int attempt = 1, string crm = "webhook") =>
        AppendAsync(app, tenant, signUpId, new CrmPushFailed(signUpId, connectionId, crm, reason, Delivery(signUpId), attempt, nextAttemptAt, at));

    /// <summary>A failed attempt as the push job stores it since 2026-12-03: the reason in parts, and its English sentence.</summary>
    public static Task PushFailedAsync(this AppFactory app, string tenant, Guid signUpId, Guid connectionId, CrmProblem problem, DateTimeOffset at, DateTimeOffset? nextAttemptAt = null, int attempt = 1) =>
        AppendAsync(app, tenant, signUpId, new CrmPushFailed(signUpId, connectionId, problem.Crm, CrmProblemText.English(problem), Delivery(signUpId), attempt, nextAttemptAt, at, problem));

    /// <summary>The commands of the jobs waiting on the crm queue, of type <typeparamref name="TCommand"/>.</summary>
    public static IReadOnlyList<TCommand> EnqueuedCrmJobs<TCommand>(this AppFactory app)
        where TCommand : IJobCommand =>
        app.Services.GetRequiredService<JobStorage>().GetMonitoringApi().EnqueuedJobs("crm", 0, 100_000)
            .Select(job => job.Value.Job?.Args is { Count: > 0 } args ? args[0] : null)
            .OfType<TCommand>()
            .ToList();

    private static string Delivery(Guid signUpId) => "msg_" + signUpId.ToString("N");

    private static async Task AppendAsync(AppFactory app, string tenant, Guid signUpId, object @event)
    {
        await using var session = await SessionAsync(app, tenant);
        session.Events.Append(signUpId, @event);
        await session.SaveChangesAsync();
    }

    private static async Task<IDocumentSession> SessionAsync(AppFactory app, string tenant)
    {
        await using var lookup = app.Services.CreateAsyncScope();
        var id = (await lookup.ServiceProvider.GetRequiredService<ITenantStore>().FindByIdentifierAsync(tenant, default)
            ?? throw new InvalidOperationException($"No store '{tenant}'.")).Id;
        return app.Services.GetRequiredService<IDocumentStore>().LightweightSession(id.ToString());
    }
}
