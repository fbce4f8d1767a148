using System.Reflection;
using CustomerInfo.Infrastructure;
using CustomerInfo.Web.Health;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CustomerInfo.Web.Observability;

/// <summary>
/// OpenTelemetry traces and metrics, JSON logs, and the Prometheus scrape endpoint.
/// Traces and metrics carry ids, routes and SQL text with parameter placeholders, never
/// parameter values, request bodies or connection strings.
/// </summary>
public static class Telemetry
{
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// Set (e.g. 9090) to answer <see cref="MetricsPath"/> only on that port, which Kestrel must also
    /// listen on (<c>ASPNETCORE_HTTP_PORTS=8080;9090</c>). Kubernetes sets it: the Service and
    /// the ingress only reach 8080, so the metrics are never public. Unset: any port (local runs).
    /// </summary>
    public const string ManagementPortKey = "App:ManagementPort";

    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The ActivitySource and Meter names Marten and Npgsql publish under.</summary>
    public static readonly string[] DataSources = ["Marten", "Npgsql"];

    /// <summary>Every Meter exported: Marten's, Npgsql's and the app's own.</summary>
    public static readonly string[] Meters = [.. DataSources, AppMeter.Name];

    /// <summary>
    /// Npgsql tags its pool metrics with <c>pool.name</c>, which is the connection string less the
    /// password (host, port, user, database): only <c>state</c> (idle, used) is kept.
    /// </summary>
    public static readonly string[] NpgsqlTagsKept = ["state"];

    public static IServiceCollection AddObservability(this IServiceCollection services, IConfiguration configuration)
    {
        var managementPort = ManagementPort(configuration);
        var version = typeof(Telemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("customerinfo", serviceVersion: version))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(Meters)
                .AddView(instrument => instrument.Meter.Name == "Npgsql" ? new MetricStreamConfiguration { TagKeys = NpgsqlTagsKept } : null)
                .AddPrometheusExporter());

        // The standard OTEL_EXPORTER_OTLP_* variables configure the exporter. Without an endpoint
        // traces have nowhere to go, so none are recorded (recording them cost every request CPU,
        // docs/benchmarks.md), and nothing retries against a collector that is not there.
        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]))
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options =>
                {
                    options.Filter = context => !IsProbeOrScrape(context) && (managementPort is null || context.Connection.LocalPort != managementPort);
                    // A kiosk link's path is its secret token (ADR 15): traces name the route, not the token.
                    options.EnrichWithHttpRequest = (activity, request) =>
                    {
                        if (request.Path.StartsWithSegments(KioskLinkPath, StringComparison.OrdinalIgnoreCase))
                        {
                            activity.SetTag("url.path", KioskLinkPath + "/{token}");
                            activity.DisplayName = $"{request.Method} {KioskLinkPath}/{{token}}";
                        }
                    };
                })
                .AddHttpClientInstrumentation()
                .AddSource(DataSources));
            telemetry.UseOtlpExporter();
        }

        return services;
    }

    private const string KioskLinkPath = "/k";

    /// <summary>
    /// <see cref="MetricsPath"/> on any host (before tenant resolution, like /health/*), and, when a
    /// management port is set, nothing but metrics and health on that port. Without one, metrics
    /// answer on every port in Development and on none elsewhere: fail closed, so a forgotten
    /// setting never makes them public.
    /// </summary>
    public static IApplicationBuilder UseObservability(this IApplicationBuilder app, IConfiguration configuration, IHostEnvironment environment)
    {
        var managementPort = ManagementPort(configuration);
        if (managementPort is not null || environment.IsDevelopment())
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
                context.Request.Path == MetricsPath && (managementPort is null || context.Connection.LocalPort == managementPort));
        }

        if (managementPort is not null)
        {
            app.Use((context, next) =>
            {
                if (context.Connection.LocalPort == managementPort && !IsProbeOrScrape(context))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                return next(context);
            });
        }

        return app;
    }

    /// <summary>UTC ISO-8601 timestamps and scopes (trace and span ids, request id and path).</summary>
    public static ILoggingBuilder AddJsonLogs(this ILoggingBuilder logging) =>
        logging.AddJsonConsole(options =>
        {
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            options.IncludeScopes = true;
        });

    private static int? ManagementPort(IConfiguration configuration) => configuration.GetValue<int?>(ManagementPortKey);

    /// <summary>Probes and scrapes: not traced, and all that the management port answers.</summary>
    private static bool IsProbeOrScrape(HttpContext context) =>
        context.Request.Path == MetricsPath
        || context.Request.Path == HealthResponse.LivePath
        || context.Request.Path == HealthResponse.ReadyPath;
}
