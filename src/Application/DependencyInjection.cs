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
        services.AddValidatorsFromAssemblyContaining(typeof(DependencyInjection), ServiceLifetime.Scoped, includeInternalTypes: true);
        return services;
    }
}
