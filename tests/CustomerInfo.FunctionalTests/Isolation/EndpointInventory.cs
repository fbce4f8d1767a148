using System.Reflection;
using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Web.Tenancy;
using Mediator;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.FunctionalTests.Isolation;

/// <summary>One way in: a page handler (GET or POST, named or not) or a minimal endpoint's method.</summary>
/// <param name="Fields">What it binds from the request besides route values: handler parameters and bound properties, flattened one level ("Command.Email").</param>
public sealed record Handler(string Method, string? Name, IReadOnlyList<(string Name, Type Type)> Fields, bool TakesFile);

/// <summary>A route the app maps, as the coverage table names it, with its route parameters and handlers.</summary>
public sealed record AppRoute(string Key, string Pattern, Site? Site, IReadOnlyList<string> RouteParameters, IReadOnlyList<Handler> Handlers)
{
    /// <summary>The path with each route parameter filled by <paramref name="value"/>.</summary>
    public string PathWith(Func<string, string> value)
    {
        var path = Pattern;
        foreach (var parameter in RouteParameters)
        {
            path = System.Text.RegularExpressions.Regex.Replace(path, @"\{\**" + parameter + @"(:[^}]*)?\}", value(parameter).Replace("$", "$$", StringComparison.Ordinal));
        }

        return "/" + path.TrimStart('/');
    }
}

/// <summary>What the app is made of, read from itself: its endpoints, its mediator requests, its recurring jobs.</summary>
public static class EndpointInventory
{
    public static IReadOnlyList<AppRoute> Routes(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<StaticAssetDescriptor>() is null) // files, the same bytes on every host
            .Select(ToRoute)
            .GroupBy(r => r.Key)
            .Select(g => g.First() with { Handlers = g.SelectMany(r => r.Handlers).DistinctBy(h => (h.Method, h.Name)).ToList() })
            .ToList();

    public static string KeyOf(string pattern, Site? site) => $"{site switch { Site.Platform => "platform", Site.Store => "store", _ => "any" }} {pattern}";

    private static AppRoute ToRoute(RouteEndpoint endpoint)
    {
        var site = endpoint.Metadata.GetMetadata<SiteAttribute>()?.Site;
        var pattern = endpoint.RoutePattern.RawText ?? "";
        var parameters = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToList();
        List<Handler> handlers;
        if (endpoint.Metadata.GetMetadata<CompiledPageActionDescriptor>() is { } page)
        {
            var bound = page.BoundProperties.SelectMany(p => Flatten(p.BindingInfo?.BinderModelName ?? p.Name, p.ParameterType)).ToList();
            // Only what a request can reach: an override such as OnPageHandlerExecutionAsync is listed as a "PAGE" handler.
            handlers = page.HandlerMethods.Where(h => h.HttpMethod.ToUpperInvariant() is "GET" or "POST" or "PUT" or "DELETE" or "PATCH").Select(h =>
            {
                var own = h.Parameters
                    .Where(p => p.BindingInfo?.BindingSource != BindingSource.Services && p.ParameterType != typeof(CancellationToken) && !parameters.Contains(p.Name, StringComparer.OrdinalIgnoreCase))
                    .Select(p => (p.BindingInfo?.BinderModelName ?? p.Name, p.ParameterType));
                var post = string.Equals(h.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase);
                var fields = post ? own.Concat(bound) : own;
                return new Handler(h.HttpMethod.ToUpperInvariant(), h.Name, fields.DistinctBy(f => f.Item1).ToList(), h.Parameters.Any(p => p.ParameterType == typeof(IFormFile)) || bound.Any(b => b.Type == typeof(IFormFile)));
            }).ToList();
            if (handlers.Count == 0)
            {
                handlers = [new Handler("GET", null, [], false)];
            }
        }
        else
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            handlers = [.. methods.Select(m => new Handler(m, null, [], false))];
        }

        return new AppRoute(KeyOf(pattern, site), pattern, site, parameters, handlers);
    }

    /// <summary>A bound property of a simple type is one field; a command object is one field per property.</summary>
    private static IEnumerable<(string Name, Type Type)> Flatten(string name, Type type)
    {
        if (IsSimple(type) || type == typeof(IFormFile))
        {
            return [(name, type)];
        }

        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite || p.GetMethod?.ReturnParameter is not null)
            .Select(p => ($"{name}.{p.Name}", p.PropertyType));
    }

    public static bool IsSimple(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(Guid) || t == typeof(decimal) || t == typeof(DateOnly) || t == typeof(DateTimeOffset) || t == typeof(DateTime);
    }

    /// <summary>Every request type of the Application assembly that the mediator dispatches.</summary>
    public static IReadOnlyList<Type> Requests() =>
        typeof(ActorContext).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IMessage).IsAssignableFrom(t))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>Every job command: what Hangfire may run.</summary>
    public static IReadOnlyList<Type> JobCommands() => Requests().Where(t => typeof(IJobCommand).IsAssignableFrom(t)).ToList();

    /// <summary>The recurring job ids the app registers (the constants of its RecurringJobs).</summary>
    public static IReadOnlyList<string> RecurringJobIds() =>
        typeof(Infrastructure.Jobs.MediatorJob).Assembly.GetType("CustomerInfo.Infrastructure.Jobs.RecurringJobs", throwOnError: true)!
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
}
