using CustomerInfo.Application.Billing;
using CustomerInfo.Application.Billing.Run;
using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Import.ExpireUnstartedImports;
using CustomerInfo.Application.Shoppers.Retention;
using CustomerInfo.Application.SignUps.PassedOver;
using CustomerInfo.Application.Tenants.EndTrials;
using CustomerInfo.Application.Tenants.EraseCanceledTenants;
using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Infrastructure.Jobs;

/// <summary>
/// Registers the recurring jobs where the Hangfire server runs, at start-up. AddOrUpdate keeps one
/// entry per id, so every replica and restart may do it; it writes rows, never the schema.
/// </summary>
internal sealed class RecurringJobs(IRecurringJobManager jobs, IOptions<BillingOptions> billing) : IHostedService
{
    public const string TrialsEnded = "trials-ended";
    public const string BillingRun = "billing-run";
    public const string CanceledTenantsErased = "canceled-tenants-erased";
    public const string ShopperRetention = "shopper-retention";
    public const string UnstartedImportsExpired = "unstarted-imports-expired";
    public const string PassedOverSignUps = "passed-over-sign-ups";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        jobs.AddOrUpdate<MediatorJob>(TrialsEnded, job => job.RunAsync(new EndTrialsCommand(), CancellationToken.None), Cron.Hourly);
        jobs.AddOrUpdate<MediatorJob>(
            BillingRun,
            HangfireBackgroundJobs.QueueName(JobLane.Billing),
            job => job.RunAsync(new RunBillingCommand(), CancellationToken.None),
            billing.Value.RunCron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        jobs.AddOrUpdate<MediatorJob>(CanceledTenantsErased, HangfireBackgroundJobs.QueueName(JobLane.Default), job => job.RunAsync(new EraseCanceledTenantsCommand(), CancellationToken.None), Cron.Daily);
        jobs.AddOrUpdate<MediatorJob>(ShopperRetention, HangfireBackgroundJobs.QueueName(JobLane.Default), job => job.RunAsync(new ApplyRetentionCommand(), CancellationToken.None), Cron.Daily(3));
        jobs.AddOrUpdate<MediatorJob>(UnstartedImportsExpired, HangfireBackgroundJobs.QueueName(JobLane.Default), job => job.RunAsync(new ExpireUnstartedImportsCommand(), CancellationToken.None), Cron.Hourly);
        jobs.AddOrUpdate<MediatorJob>(PassedOverSignUps, HangfireBackgroundJobs.QueueName(JobLane.Crm), job => job.RunAsync(new FindPassedOverSignUpsCommand(), CancellationToken.None), Cron.Minutely());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
