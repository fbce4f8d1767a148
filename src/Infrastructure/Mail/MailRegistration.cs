using CustomerInfo.Application.Common.Mail;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Infrastructure.Mail;

internal static class MailRegistration
{
    /// <summary>Settings that cannot work stop the app at start; Production must also say where mail goes and from whom.</summary>
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<SmtpOptions>()
            .Bind(configuration.GetSection(SmtpOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmtpOptions>>(new SmtpOptionsValidation(environment.IsProduction()));
        services.AddSingleton<IMailTransport, MailKitTransport>();
        services.AddSingleton<IMailOutbox, MartenMailOutbox>();
        services.AddSingleton<CaughtMails>();
        return services;
    }

    private sealed class SmtpOptionsValidation(bool production) : IValidateOptions<SmtpOptions>
    {
        public ValidateOptionsResult Validate(string? name, SmtpOptions options) =>
            SmtpOptions.Problem(options, production) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
