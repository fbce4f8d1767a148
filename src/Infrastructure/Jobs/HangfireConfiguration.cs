using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.Infrastructure.Jobs;

public static class HangfireConfiguration
{
    public const string SchemaName = "hangfire";

    /// <summary>Queues in the order a worker takes them: a sign-up waiting for its CRM comes first.</summary>
    public static readonly string[] Queues = ["crm", "billing", "default"];

    internal static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration, string connectionString, bool applySchemaChanges)
    {
        services.AddHangfire(hangfire => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                options => options.UseNpgsqlConnection(connectionString),
                new PostgreSqlStorageOptions
                {
                    SchemaName = SchemaName,
                    PrepareSchemaIfNecessary = applySchemaChanges,
                    QueuePollInterval = TimeSpan.FromSeconds(1),
                }));

        // The web process runs the server by default; a Kubernetes worker role is the same image with
        // only this switch on, and the web Deployment turns it off.
        if (configuration.GetValue("Hangfire:Server:Enabled", defaultValue: true))
        {
            services.AddHangfireServer(options =>
            {
                options.Queues = Queues;
                options.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            });
        }

        return services;
    }
}
