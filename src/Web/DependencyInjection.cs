using System.IO.Compression;
using CustomerInfo.Application.Common.Behaviours;
using CustomerInfo.Web.Abuse;
using CustomerInfo.Web.Forms;
using CustomerInfo.Web.Health;
using CustomerInfo.Web.Hosting;
using CustomerInfo.Web.Localization;
using CustomerInfo.Web.Observability;
using CustomerInfo.Web.Pages;
using CustomerInfo.Web.Pages.Store;
using CustomerInfo.Web.Security;
using CustomerInfo.Web.Seeding;
using CustomerInfo.Web.Tenancy;
using CustomerInfo.Web.Validation;
using Hangfire;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.Routing.Matching;

namespace CustomerInfo.Web;

public static class DependencyInjection
{
    public static IServiceCollection AddWeb(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddMediator(options =>
        {
            // Scoped: handlers take the scoped, tenant-bound Marten session and scoped validators.
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.PipelineBehaviors = [typeof(LoggingBehaviour<,>), typeof(AuthorizationBehaviour<,>), typeof(ValidationBehaviour<,>)];
        });

        services.Configure<AppOptions>(configuration.GetSection(AppOptions.Section));
        services.AddKioskOptions(configuration);
        services.AddSingleton<ITenantStrategy, HostTenantStrategy>();
        services.AddSingleton<Application.Common.ISiteLinks, SiteLinks>();
        services.AddSingleton<MatcherPolicy, SiteMatcherPolicy>();

        services.AddObservability(configuration);
        services.AddOwnerAuthentication();
        services.AddStoreLanguages();
        services.AddSingleton<Pages.Store.KioskRequestTokens>();
        services.AddSingleton<Pages.Store.EmptyFormCache>();
        services.AddSignUpRateLimits(configuration);
        services.AddResponseCompression(options =>
        {
            // Behind TLS too (the ingress forwards https): the pages carry no secret but a per-response
            // antiforgery token, so compression gives BREACH nothing stable to recover.
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
        });
        services.Configure<BrotliCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        services.AddRazorPages(options =>
        {
            options.Conventions.AddFolderApplicationModelConvention("/Platform", model => model.EndpointMetadata.Add(new SiteAttribute(Site.Platform)));
            options.Conventions.AddFolderApplicationModelConvention("/Owner", model => model.EndpointMetadata.Add(new SiteAttribute(Site.Platform)));
            options.Conventions.AddFolderApplicationModelConvention("/Store", model => model.EndpointMetadata.Add(new SiteAttribute(Site.Store)));
            options.Conventions.AddFolderApplicationModelConvention("/Admin", model => model.EndpointMetadata.Add(new SiteAttribute(Site.Store)));
            options.Conventions.AuthorizeFolder("/Owner", OwnerAuthentication.OwnerPolicy);
            options.Conventions.AuthorizeFolder("/Admin", MemberAuthentication.PolicyFor(Domain.Accounts.TeamRole.Staff));
            options.Conventions.AuthorizePage("/Admin/Privacy", MemberAuthentication.PolicyFor(Domain.Accounts.TeamRole.Manager));
            options.Conventions.AuthorizeFolder("/Admin/Stores", MemberAuthentication.PolicyFor(Domain.Accounts.TeamRole.Manager));
            options.Conventions.AuthorizeFolder("/Admin/Form", MemberAuthentication.PolicyFor(Domain.Accounts.TeamRole.Manager));
            options.Conventions.AuthorizeFolder("/Admin/Brand", MemberAuthentication.PolicyFor(Domain.Accounts.TeamRole.Manager));
            options.Conventions.AuthorizeFolder("/Admin/Crm", MemberAuthentication.PolicyFor(Domain.Accounts.TeamRole.Manager));
            options.Conventions.AuthorizeFolder("/Admin/Import", MemberAuthentication.PolicyFor(Domain.Accounts.TeamRole.Manager));
            options.Conventions.AuthorizePage("/Admin/Team", MemberAuthentication.PolicyFor(Domain.Accounts.TeamRole.Owner));
            options.Conventions.AuthorizePage("/Admin/Audit", MemberAuthentication.PolicyFor(Domain.Accounts.TeamRole.Owner));
            options.Conventions.AuthorizeFolder("/Admin/Billing", MemberAuthentication.PolicyFor(Domain.Accounts.TeamRole.Owner));
            options.Conventions.AuthorizePage("/Admin/SignUps/Export", MemberAuthentication.PolicyFor(Domain.Accounts.TeamRole.Manager));
            options.Conventions.AllowAnonymousToPage("/Admin/SignIn");
            options.Conventions.AllowAnonymousToPage("/Admin/SignInCode");
            options.Conventions.AllowAnonymousToPage("/Admin/SignOut");
            options.Conventions.AllowAnonymousToPage("/Admin/Invitation");
            options.Conventions.AllowAnonymousToPage("/Admin/Continue");
            options.Conventions.AllowAnonymousToPage("/Admin/Confirm");
            options.Conventions.AllowAnonymousToPage("/Admin/ForgotPassword");
            options.Conventions.AllowAnonymousToPage("/Admin/ResetPassword");
            options.Conventions.AllowAnonymousToPage("/Owner/SignIn");
        }).AddMvcOptions(options =>
        {
            options.Filters.Add<PageMethodFilter>();
            options.Filters.Add<ValidationFailurePageFilter>();
            options.Filters.Add<AccessDeniedPageFilter>();
        });

        services.AddIngressForwardedHeaders(configuration, environment);
        services.AddSecurityHeaders(environment);
        services.AddGracefulShutdown(configuration);
        services.AddDevelopmentStripe(configuration, environment);

        if (environment.IsDevelopment() && configuration.GetValue("Seed:Demo", defaultValue: true))
        {
            services.AddHostedService<DevelopmentSeed>();
        }

        return services;
    }

    public static WebApplication UseWeb(this WebApplication app)
    {
        app.UseForwardedHeaders();
        // First after the scheme is known: every response gets the headers, error pages included (HSTS: SecurityHeaders).
        app.UseSecurityHeaders();
        if (app.Environment.IsDevelopment())
        {
            app.UseDeveloperExceptionPage();
        }
        else
        {
            app.UseExceptionHandler("/status/500");
        }

        app.UseMiddleware<DatabaseUnavailable>();

        app.UseHealthEndpoints();
        app.UseObservability(app.Configuration, app.Environment);
        app.UseResponseCompression();
        app.UseStatusCodePagesWithReExecute("/status/{0}");
        app.UseMiddleware<TenantResolutionMiddleware>();
        app.UseMiddleware<ReadOnlyAdminMiddleware>();
        app.UseRequestLocalization();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseMiddleware<FormBodyUtf8Middleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<ActorMiddleware>();
        app.UseMiddleware<HangfireJobIdGuard>();
        app.UseMiddleware<OwnerTwoFactorRule>();
        // Last before the endpoints: the kiosk's kept empty form needs nothing of MVC (ADR 32).
        app.UseMiddleware<Pages.Store.KeptFormMiddleware>();
        // The kiosk's valid sign-up post needs nothing of MVC either; anything else goes on to the page (ADR 35).
        app.UseMiddleware<Pages.Store.SignUpPostMiddleware>();

        // Fingerprinted URLs (css/kiosk.{hash}.css), cached for a year, precompressed where built.
        app.MapStaticAssets();
        app.MapRazorPages().WithStaticAssets();
        app.MapGet(Brand.BrandLogoEndpoint.Route, Brand.BrandLogoEndpoint.ServeAsync).WithMetadata(new SiteAttribute(Site.Store));
        Billing.StripeWebhookEndpoint.MapStripeWebhook(app);
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new OwnerDashboardAuthorizationFilter()],
            AppPath = "/owner",
            DashboardTitle = "CustomerInfo jobs",
            DisplayStorageConnectionString = false,
        })
            .RequireAuthorization(OwnerAuthentication.OwnerPolicy)
            .WithSecurityHeadersPolicy(SecurityHeaders.HangfireDashboardPolicy)
            .WithMetadata(new SiteAttribute(Site.Platform));
        return app;
    }
}
