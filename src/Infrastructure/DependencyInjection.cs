using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Shoppers;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Application.Stores;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Infrastructure.Accounts;
using CustomerInfo.Infrastructure.Billing;
using CustomerInfo.Infrastructure.Crm;
using CustomerInfo.Infrastructure.Health;
using CustomerInfo.Infrastructure.Jobs;
using CustomerInfo.Infrastructure.Mail;
using CustomerInfo.Infrastructure.Persistence;
using CustomerInfo.Infrastructure.Shoppers;
using CustomerInfo.Infrastructure.SignUps;
using CustomerInfo.Infrastructure.Stores;
using CustomerInfo.Infrastructure.Tenancy;
using Hangfire;
using JasperFx.CommandLine.Descriptions;
using JasperFx.Events.Daemon;
using JasperFx.Resources;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CustomerInfo.Infrastructure;

public static class DependencyInjection
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var connectionString = configuration.GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                "ConnectionStrings:Postgres is not set. Use ./build.sh run, or set ConnectionStrings__Postgres in the environment.");
        }

        // Production never changes its schema while serving: the migration job ('resources setup') does.
        // An empty value (e.g. an unset compose variable) means "not set", not an error.
        var applySchemaSetting = configuration["Database:ApplySchemaOnStartup"];
        var applySchemaChanges = string.IsNullOrWhiteSpace(applySchemaSetting) ? !environment.IsProduction() : bool.Parse(applySchemaSetting);

        // Local runs and tests hash the contact index with a key everyone knows; Production must have its own.
        if (!environment.IsProduction())
        {
            services.PostConfigure<PersonalDataOptions>(options =>
                options.IndexKey = string.IsNullOrWhiteSpace(options.IndexKey) ? PersonalDataOptions.DevelopmentIndexKey : options.IndexKey);
        }

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IClock, SystemClock>();
        services.AddMemoryCache();

        // The app's own queries wait and run as long as this role allows (the web role briefly, issue 15).
        var queries = DatabaseLimits.Apply(connectionString, configuration);
        var marten = services.AddMarten(options => MartenConfiguration.Configure(options, queries, applySchemaChanges))
            .UseLightweightSessions()
            .BuildSessionsWith<TenantSessionFactory>(ServiceLifetime.Scoped);
        if (applySchemaChanges)
        {
            marten.ApplyAllDatabaseChangesOnStartup();
        }

        services.ConfigureMarten((provider, options) => options.Logger(new MartenStatementLogger(provider.GetRequiredService<ILogger<IDocumentStore>>())));

        // Background work follows the event log. It runs where jobs run (the worker role in
        // Kubernetes, the web process by default); HotCold keeps it to one node at a time.
        marten.AddSubscriptionWithServices<ContactLinkingSubscription>(ServiceLifetime.Singleton);
        var backgroundWork = configuration.GetValue("Hangfire:Server:Enabled", defaultValue: true);
        if (configuration.GetValue("Marten:Daemon:Enabled", backgroundWork))
        {
            marten.AddAsyncDaemon(DaemonMode.HotCold);
        }

        services.AddSingleton<ISignUpLog, GroupCommitSignUpLog>();
        services.AddSingleton<Application.Brand.ILogoRenderer, Brand.SkiaLogoRenderer>();
        services.AddSingleton<Application.Brand.IBrandImages, Brand.CachedBrandImages>();

        services.AddScoped<TenantContext>();
        services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
        services.AddSingleton<ITenantStore, MartenTenantStore>();
        services.AddSingleton<IStaffPins, CachedStaffPins>();
        services.AddSingleton<PostgresTenantChanges>();
        services.AddSingleton<ITenantChanges>(sp => sp.GetRequiredService<PostgresTenantChanges>());
        services.AddSingleton<IKioskLinks, CachedKioskLinks>();
        services.AddSingleton(sp => new TenantChangeListener(connectionString, sp.GetRequiredService<PostgresTenantChanges>(), sp.GetRequiredService<ILogger<TenantChangeListener>>()));
        services.AddHostedService(sp => sp.GetRequiredService<TenantChangeListener>());

        services.AddAccounts();

        services.AddKeyRing(configuration, environment);

        services.AddCrm(configuration);
        services.AddBilling(configuration, environment);
        services.AddJobs(configuration, connectionString, applySchemaChanges);
        services.AddMail(configuration, environment);
        services.AddSingleton<ISystemPart>(new HangfireSystemPart(connectionString));
        services.AddSingleton(sp => new ContactIndexRekeying(sp.GetRequiredService<IDocumentStore>(), sp.GetRequiredService<ContactIndexKeys>(), connectionString));
        services.AddSingleton<ISystemPart, ContactIndexRekeyingSystemPart>();
        if (applySchemaChanges)
        {
            services.AddHostedService<ContactIndexRekeyingAtStartup>();
        }

        services.AddSingleton(sp => new StoreLocationMigration(
            sp.GetRequiredService<IDocumentStore>(), sp.GetRequiredService<ITenantChanges>(), sp.GetRequiredService<IClock>(), connectionString));
        services.AddSingleton<ISystemPart, StoreLocationMigrationSystemPart>();
        if (applySchemaChanges)
        {
            services.AddHostedService<StoreLocationMigrationAtStartup>();
        }

        services.AddSingleton(new SignUpSourceBackfill(connectionString));
        services.AddSingleton<ISystemPart, SignUpSourceBackfillSystemPart>();
        if (applySchemaChanges)
        {
            services.AddHostedService<SignUpSourceBackfillAtStartup>();
        }

        services.AddHealthChecks()
            .AddCheck("postgresql", new PostgresHealthCheck(connectionString), tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5))
            .AddTypeActivatedCheck<MartenSchemaHealthCheck>("marten-schema", failureStatus: null, tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5))
            .AddTypeActivatedCheck<HangfireStorageHealthCheck>("hangfire-storage", failureStatus: null, tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5));

        return services;
    }
}
