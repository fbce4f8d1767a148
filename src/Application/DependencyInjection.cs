using FluentValidation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.Application;

public static class DependencyInjection
{
    /// <summary>
    /// Validators of this layer. Handlers and behaviours are registered by the source-generated
    /// mediator in the composition root (src/Web), the only project that may call AddMediator.
    /// </summary>
    public static IServiceCollection AddApplication(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<Owner.OwnerOptions>(configuration.GetSection(Owner.OwnerOptions.Section));
        services.AddSingleton<Owner.SignInOwner.OwnerPasswords>();
        services.AddSingleton<SignUps.FormDefinitions>();
        services.AddScoped<Common.Security.ActorContext>();
        services.AddOptions<Shoppers.PersonalDataOptions>()
            .Bind(configuration.GetSection(Shoppers.PersonalDataOptions.Section))
            .Validate(o => Shoppers.ContactIndexKeys.Problem(o.IndexKey) is null, $"{Shoppers.PersonalDataOptions.Section}:IndexKey must be base64 of at least 32 random bytes (see docs/configuration.md).")
            .ValidateOnStart();
        services.AddSingleton<Shoppers.ContactIndexKeys>();
        services.AddOptions<Tenants.TrialOptions>()
            .Bind(configuration.GetSection(Tenants.TrialOptions.Section))
            .Validate(o => o.TrialDays is >= 1 and <= Tenants.TrialOptions.MaxTrialDays, $"{Tenants.TrialOptions.Section}:TrialDays must be 1 to {Tenants.TrialOptions.MaxTrialDays} days.")
            .ValidateOnStart();
        services.AddOptions<Billing.BillingOptions>()
            .Bind(configuration.GetSection(Billing.BillingOptions.Section))
            .Validate(o => o.GraceDays is >= 0 and <= 60, $"{Billing.BillingOptions.Section}:GraceDays must be 0 to 60 days.")
            .Validate(o => o.RunParallelism is >= 1 and <= 32, $"{Billing.BillingOptions.Section}:RunParallelism must be 1 to 32 tenants.")
            .Validate(o => o.Plans.TrueForAll(p => !string.IsNullOrWhiteSpace(p.Id) && !string.IsNullOrWhiteSpace(p.Name) && !string.IsNullOrWhiteSpace(p.StorePriceId)), $"Every {Billing.BillingOptions.Section}:Plans entry needs an Id, a Name and a StorePriceId.")
            .Validate(o => o.Plans.Select(p => p.Id).Distinct(StringComparer.Ordinal).Count() == o.Plans.Count, $"{Billing.BillingOptions.Section}:Plans ids must be unique.")
            .ValidateOnStart();
        services.Configure<Billing.StripeOptions>(configuration.GetSection(Billing.StripeOptions.Section));
        services.AddSingleton<Tenants.TenantFacts>();
        services.AddScoped<Billing.Usage.UsageReporting>();
        services.AddScoped<Billing.Run.TenantBillingPass>();
        services.AddScoped<Stores.StoreStreams>();
        services.AddScoped<Brand.BrandingForms>();
        services.AddScoped<Crm.Push.CrmHealth>();
        services.AddScoped<Crm.Connection.CrmConnectionReader>();
        services.AddScoped<Crm.Erasure.CrmErasures>();
        services.AddValidatorsFromAssemblyContaining(typeof(DependencyInjection), ServiceLifetime.Scoped, includeInternalTypes: true);
        return services;
    }
}
