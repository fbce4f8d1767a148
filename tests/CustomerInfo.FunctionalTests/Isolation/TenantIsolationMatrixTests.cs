using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Infrastructure.Jobs;
using CustomerInfo.TestSupport;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.FunctionalTests.Isolation;

/// <summary>
/// Tenant isolation, proven by a matrix generated from the app itself (issue 14 §1): every endpoint in
/// <c>EndpointDataSource</c>, every mediator request and every job has a line in
/// <see cref="IsolationCoverage"/> (a new one without fails <see cref="Every_endpoint_request_and_job_of_the_app_has_a_line_in_the_coverage_table"/>,
/// naming it: add the line the message gives). Store B's Owner, signed in on B's host, tries store A's
/// ids on every route and handler that reads one (404, the same answer as for an id nobody has, never
/// A's data); A's session cookie on B's host and host-header tricks grant nothing; every request sent in
/// B's scope with A's ids, and every tenant job run for B with A's ids, finds and changes nothing of A.
/// </summary>
public class TenantIsolationMatrixTests(IsolationApp app) : IClassFixture<IsolationApp>
{
    private static readonly JsonSerializerOptions Json = new() { ReferenceHandler = ReferenceHandler.IgnoreCycles, MaxDepth = 64 };

    [Fact]
    public void Every_endpoint_request_and_job_of_the_app_has_a_line_in_the_coverage_table()
    {
        var problems = new List<string>();
        var routes = EndpointInventory.Routes(app.Services);
        routes.Count.ShouldBeGreaterThan(30);
        foreach (var route in routes.Where(r => !IsolationCoverage.Routes.ContainsKey(r.Key)))
        {
            problems.Add($"endpoint \"{route.Key}\" has no line: add [\"{route.Key}\"] = Tenant/Kiosk/Platform/Public (with .With(\"field\", IdKind.X) for its ids) to IsolationCoverage.Routes");
        }

        foreach (var key in IsolationCoverage.Routes.Keys.Where(k => routes.All(r => r.Key != k)))
        {
            problems.Add($"IsolationCoverage.Routes names \"{key}\", which the app no longer maps: remove the line");
        }

        foreach (var route in routes.Where(r => IsolationCoverage.Routes.ContainsKey(r.Key)))
        {
            var coverage = IsolationCoverage.Routes[route.Key];
            var fields = route.RouteParameters.Concat(route.Handlers.SelectMany(h => h.Fields.Select(f => f.Name))).ToList();
            foreach (var id in coverage.Ids.Keys.Where(id => !fields.Contains(id, StringComparer.OrdinalIgnoreCase)))
            {
                problems.Add($"\"{route.Key}\" lists the id \"{id}\", which none of its handlers reads any more");
            }

            if (coverage.Tenancy is Tenancy.Tenant or Tenancy.Kiosk)
            {
                var guids = route.Handlers.SelectMany(h => h.Fields).Where(f => IsGuid(f.Type)).Select(f => f.Name).Where(n => !coverage.Ids.ContainsKey(n) && !RequestBuilder.IsNotTenantData(n.Split('.')[^1]));
                foreach (var guid in guids.Distinct())
                {
                    problems.Add($"\"{route.Key}\" reads the id \"{guid}\" without a line: add .With(\"{guid}\", IdKind.X)");
                }
            }
        }

        var requests = EndpointInventory.Requests();
        requests.Count.ShouldBeGreaterThan(50);
        foreach (var request in requests)
        {
            if (!IsolationCoverage.Requests.TryGetValue(request.Name, out var coverage))
            {
                problems.Add($"request {request.Name} has no line: add [\"{request.Name}\"] = ... to IsolationCoverage.Requests");
            }
            else if (AccessRule.Of(request) is not { } rule || !IsolationCoverage.Fits(coverage.Isolation, request, rule))
            {
                problems.Add($"request {request.Name} is covered as {coverage.Isolation}, which its access rule ({AccessRule.Of(request)}) is not");
            }
            else if (coverage.Isolation is RequestIsolation.Tenant or RequestIsolation.TenantJob or RequestIsolation.System)
            {
                foreach (var parameter in Parameters(request).Where(p => IsGuid(p.Type) && RequestBuilder.KindOf(p.Name) is null && !RequestBuilder.IsNotTenantData(p.Name)))
                {
                    problems.Add($"request {request.Name} takes the id {parameter.Name}, which RequestBuilder.KindOf does not know: name its kind there");
                }
            }
        }

        foreach (var name in IsolationCoverage.Requests.Keys.Where(n => requests.All(r => r.Name != n)))
        {
            problems.Add($"IsolationCoverage.Requests names {name}, which the Application no longer has: remove the line");
        }

        var recurring = EndpointInventory.RecurringJobIds();
        recurring.ShouldNotBeEmpty();
        problems.AddRange(recurring.Where(id => !IsolationCoverage.RecurringJobs.ContainsKey(id)).Select(id => $"recurring job \"{id}\" has no line in IsolationCoverage.RecurringJobs"));
        problems.AddRange(IsolationCoverage.RecurringJobs.Keys.Where(id => !recurring.Contains(id)).Select(id => $"IsolationCoverage.RecurringJobs names \"{id}\", which is no longer registered"));
        problems.AddRange(IsolationCoverage.RecurringJobs.Values.Where(c => !EndpointInventory.JobCommands().Any(j => j.Name == c)).Select(c => $"recurring job command {c} is not a job command of the Application"));

        problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_second_retailer_signed_in_cannot_reach_the_first_retailers_data_by_any_url()
    {
        var before = await app.DataOfAsync(app.A.TenantId, IsolationApp.SessionTable);
        var bravo = app.ClientFor(app.B.Host);
        await Members.SignedInAsync(bravo, app.B.OwnerEmail);
        var token = Forms.AntiforgeryToken(await AppFactory.ReadAsync(await bravo.GetAsync("/admin/team"), HttpStatusCode.OK));
        var kioskToken = Forms.AntiforgeryToken(await AppFactory.ReadAsync(await bravo.GetAsync("/"), HttpStatusCode.OK));
        var wrong = new List<string>();
        var tried = 0;
        foreach (var route in Covered(Tenancy.Tenant, Tenancy.Kiosk).Where(r => IsolationCoverage.Routes[r.Key].Ids.Count > 0))
        {
            var ids = IsolationCoverage.Routes[route.Key].Ids;
            foreach (var handler in route.Handlers)
            {
                // B's own ids only where that changes nothing (a GET): posting them would revoke B's links, close B's store.
                var own = handler.Method == "GET" ? await SendAsync(bravo, route, handler, ids, kind => app.B.Of(kind), route.Key.StartsWith("store admin", StringComparison.Ordinal) ? token : kioskToken) : null;
                var foreign = await SendAsync(bravo, route, handler, ids, kind => app.A.Of(kind), route.Key.StartsWith("store admin", StringComparison.Ordinal) ? token : kioskToken);
                var unknown = await SendAsync(bravo, route, handler, ids, TenantIds.Unknown, route.Key.StartsWith("store admin", StringComparison.Ordinal) ? token : kioskToken);
                tried++;
                var name = $"{handler.Method} {route.Key}{(handler.Name is null ? "" : "?handler=" + handler.Name)}";
                var routeId = route.RouteParameters.Any(ids.ContainsKey);
                if (routeId && foreign.Status != HttpStatusCode.NotFound)
                {
                    wrong.Add($"{name} with A's id: {(int)foreign.Status}, expected 404");
                }

                if (foreign.Status != unknown.Status)
                {
                    wrong.Add($"{name}: A's id answers {(int)foreign.Status}, an unknown id {(int)unknown.Status}: the answer confirms A's id");
                }

                if (routeId && handler.Name is null && own is not null && (int)own.Status >= 400)
                {
                    wrong.Add($"{name} with B's own id: {(int)own.Status}; the matrix needs the page to work for its own store");
                }

                wrong.AddRange(app.A.Secrets(foreign.Request).Where(s => foreign.Body.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(s => $"{name} showed A's \"{s}\""));
            }
        }

        tried.ShouldBeGreaterThan(12);
        wrong.ShouldBeEmpty();
        var after = await app.DataOfAsync(app.A.TenantId, IsolationApp.SessionTable);
        after.ShouldBe(before, "B's requests changed A's data: " + IsolationApp.Changed(before, after));
    }

    [Fact]
    public async Task A_session_cookie_copied_to_another_stores_host_or_a_host_header_trick_grants_nothing()
    {
        var cookieOfA = await Members.SignedInAsync(app.ClientFor(app.A.Host), app.A.OwnerEmail);
        var cookieOfB = await Members.SignedInAsync(app.ClientFor(app.B.Host), app.B.OwnerEmail);
        var wrong = new List<string>();
        var pages = Covered(Tenancy.Tenant).Where(r => r.Handlers.Any(h => h.Method == "GET")).Select(r => r.PathWith(p => app.A.Of(IsolationCoverage.Routes[r.Key].Ids.GetValueOrDefault(p, IdKind.Store)))).ToList();
        pages.Count.ShouldBeGreaterThan(15);

        // Every admin page: A's cookie on B's host (and its spellings) is treated as no cookie at all.
        // The mixed-case spelling is not "Bravo": another test's shopper has that name, and the request log's host would read as a leak of it.
        foreach (var host in new[] { app.B.Host, app.B.Host.ToUpperInvariant(), app.B.Host + ".", app.B.Host + ":8443", "bRAVO.LocalHost.:80" })
        {
            foreach (var page in pages)
            {
                var response = await SendRawAsync(host, page, cookieOfA);
                var body = await response.Content.ReadAsStringAsync();
                if (!IsSignInRedirect(response) && response.StatusCode != HttpStatusCode.NotFound)
                {
                    wrong.Add($"A's cookie on {host}{page}: {(int)response.StatusCode} {response.Headers.Location}, expected the sign-in redirect");
                }

                wrong.AddRange(app.A.Secrets(page).Concat(app.B.Secrets(page)).Where(s => body.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(s => $"A's cookie on {host}{page} showed \"{s}\""));
            }
        }

        // The spellings of A's own host do reach A (so the test above would see a crossing), the apex and other hosts nothing.
        foreach (var host in new[] { app.A.Host.ToUpperInvariant(), app.A.Host + ".", app.A.Host + ":8443" })
        {
            (await SendRawAsync(host, "/admin/signups", cookieOfA)).StatusCode.ShouldBe(HttpStatusCode.OK, host);
        }

        foreach (var host in new[] { "localhost", "www.localhost", $"{app.A.Identifier}.{app.B.Host}", $"{app.A.Identifier}.localhost.evil.test", "127.0.0.1", "[::1]" })
        {
            var response = await SendRawAsync(host, "/admin/signups", cookieOfA);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                wrong.Add($"A's cookie on {host}: {(int)response.StatusCode}, expected 404");
            }

            wrong.AddRange(app.A.Secrets("").Where(s => body.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(s => $"{host} showed A's \"{s}\""));
        }

        // X-Forwarded-Host (and Forwarded) are not honoured: the Host header alone names the store.
        foreach (var header in new[] { "X-Forwarded-Host", "X-Original-Host", "X-Host", "Forwarded" })
        {
            var value = header == "Forwarded" ? $"host={app.A.Host}" : app.A.Host;
            var withA = await SendRawAsync(app.B.Host, "/admin/signups", cookieOfA, (header, value));
            IsSignInRedirect(withA).ShouldBeTrue($"{header}: {(int)withA.StatusCode}");
            var withB = await SendRawAsync(app.B.Host, "/admin/signups", cookieOfB, (header, value));
            var body = await AppFactory.ReadAsync(withB, HttpStatusCode.OK);
            body.ShouldContain(app.B.Words[1]);
            app.A.Secrets("").Where(s => body.Contains(s, StringComparison.OrdinalIgnoreCase)).ShouldBeEmpty(header);
        }

        // B's cookie on A's host is refused the same way, and a kiosk link works only on its own store's host.
        IsSignInRedirect(await SendRawAsync(app.A.Host, "/admin/contacts", cookieOfB)).ShouldBeTrue();
        (await SendRawAsync(app.B.Host, "/k/" + app.A.KioskToken, "")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        ((int)(await SendRawAsync(app.A.Host, "/k/" + app.A.KioskToken, "")).StatusCode).ShouldBeLessThan(400);
        wrong.ShouldBeEmpty();
    }

    [Fact]
    public async Task Every_request_sent_in_another_stores_scope_with_the_first_stores_ids_finds_and_changes_nothing()
    {
        var before = await app.DataOfAsync(app.A.TenantId, IsolationApp.SessionTable);
        var deliveriesToA = app.CrmOfA.Deliveries.Count;
        var wrong = new List<string>();
        var sent = 0;
        foreach (var type in EndpointInventory.Requests())
        {
            var coverage = IsolationCoverage.Requests[type.Name];
            if (coverage.Isolation == RequestIsolation.NotTenantOwned)
            {
                coverage.Reason.ShouldNotBeNullOrWhiteSpace(type.Name);
                continue;
            }

            var request = coverage.Build?.Invoke(app.A, app.B) ?? RequestBuilder.Build(type, app.A, app.B);
            var sentText = Describe(request);
            sent++;
            try
            {
                var result = await SendInScopeOfBAsync(coverage.Isolation, request);
                if (coverage.Isolation == RequestIsolation.Platform)
                {
                    wrong.Add($"{type.Name} was let through for B's Owner");
                }

                var text = await ShowAsync(result);
                wrong.AddRange(app.A.Secrets(sentText).Where(s => text.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(s => $"{type.Name} answered A's \"{s}\""));
            }
            catch (AccessDeniedException) when (coverage.Isolation == RequestIsolation.Platform)
            {
            }
            catch (ValidationException)
            {
            }
            catch (Exception e)
            {
                wrong.Add($"{type.Name} with A's ids threw {e.GetType().Name}: {e.Message}");
            }
        }

        sent.ShouldBeGreaterThan(60);
        wrong.ShouldBeEmpty();
        var after = await app.DataOfAsync(app.A.TenantId, IsolationApp.SessionTable);
        after.ShouldBe(before, "requests in B's scope changed A's data: " + IsolationApp.Changed(before, after));
        app.CrmOfA.Deliveries.Count.ShouldBe(deliveriesToA);
        app.CrmOfB.Deliveries.SelectMany(d => app.A.Secrets("").Where(s => d.Payload.GetRawText().Contains(s, StringComparison.OrdinalIgnoreCase))).ShouldBeEmpty();
    }

    /// <summary>
    /// The sensitivity check of the request matrix: the same kind of request with A's ids in A's own scope
    /// does find A's data, so "nothing found" above is the isolation, not a request that finds nothing anywhere.
    /// </summary>
    [Fact]
    public async Task The_same_requests_in_the_first_stores_own_scope_do_find_its_data()
    {
        var owner = StoreScope.OwnerOf(app.A.TenantId);
        await using var scope = await StoreScope.EnterAsync(app, app.A.Identifier, owner);
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        (await sender.Send(new Application.SignUps.GetSignUp.GetSignUpQuery(app.A.SignUp))).ShouldNotBeNull();
        (await sender.Send(new Application.Contacts.GetContactDetail.GetContactDetailQuery(app.A.Contact))).ShouldNotBeNull();
        (await sender.Send(new Application.Stores.GetStore.GetStoreQuery(app.A.Store))).ShouldNotBeNull();
        (await sender.Send(new Application.Import.GetImport.GetImportQuery(app.A.Import))).ShouldNotBeNull();
        await using var scopeOfB = await StoreScope.EnterAsync(app, app.B.Identifier, StoreScope.OwnerOf(app.B.TenantId));
        (await scopeOfB.ServiceProvider.GetRequiredService<ISender>().Send(new Application.SignUps.GetSignUp.GetSignUpQuery(app.A.SignUp))).ShouldBeNull();
    }

    private async Task<object?> SendInScopeOfBAsync(RequestIsolation isolation, object request)
    {
        if (isolation == RequestIsolation.TenantJob)
        {
            var run = typeof(MediatorJob).GetMethod(nameof(MediatorJob.RunAsync))!.MakeGenericMethod(request.GetType());
            await (Task)run.Invoke(new MediatorJob(app.Services.GetRequiredService<IServiceScopeFactory>()), [request, CancellationToken.None])!;
            return null;
        }

        var actor = isolation switch
        {
            RequestIsolation.Public => Actor.Anonymous,
            RequestIsolation.System => Actor.System("isolation-matrix"),
            _ => Actor.Member(app.B.TenantId, app.B.Member, TeamRole.Owner),
        };
        await using var scope = await StoreScope.EnterAsync(app, app.B.Identifier, actor);
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        var result = request switch
        {
            IBaseCommand command => await sender.Send(command),
            IBaseQuery query => await sender.Send(query),
            _ => throw new InvalidOperationException(request.GetType().Name),
        };
        return result;
    }

    /// <summary>A request as text, without reading its streams (they are still to be sent).</summary>
    private static string Describe(object request)
    {
        try
        {
            return JsonSerializer.Serialize(request, request.GetType(), Json);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or JsonException)
        {
            return request.ToString() ?? "";
        }
    }

    /// <summary>A result as text, to look for A's data in it (streams and lazy sequences read to the end).</summary>
    private static async Task<string> ShowAsync(object? result)
    {
        if (result is null)
        {
            return "";
        }

        using var buffer = new MemoryStream();
        try
        {
            await JsonSerializer.SerializeAsync(buffer, result, result.GetType(), Json);
            return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or JsonException)
        {
            var streams = result.GetType().GetProperties().Where(p => typeof(Stream).IsAssignableFrom(p.PropertyType)).Select(p => p.GetValue(result) as Stream).OfType<Stream>();
            var texts = new List<string> { result.ToString() ?? "" };
            foreach (var stream in streams)
            {
                using var reader = new StreamReader(stream);
                texts.Add(await reader.ReadToEndAsync());
            }

            return string.Join('\n', texts);
        }
    }

    private IEnumerable<AppRoute> Covered(params Tenancy[] tenancies) =>
        EndpointInventory.Routes(app.Services).Where(r => IsolationCoverage.Routes.TryGetValue(r.Key, out var c) && tenancies.Contains(c.Tenancy));

    private sealed record Answer(HttpStatusCode Status, string Body, string Request);

    /// <summary>One handler with its ids filled by <paramref name="idOf"/>: route ids in the path, the rest in the query and the form.</summary>
    private static async Task<Answer> SendAsync(HttpClient client, AppRoute route, Handler handler, IReadOnlyDictionary<string, IdKind> ids, Func<IdKind, string> idOf, string antiforgery)
    {
        var values = ids.ToDictionary(i => i.Key, i => idOf(i.Value), StringComparer.OrdinalIgnoreCase);
        var path = route.PathWith(p => values.GetValueOrDefault(p, Guid.NewGuid().ToString()));
        var others = values.Where(v => !route.RouteParameters.Contains(v.Key, StringComparer.OrdinalIgnoreCase) && handler.Fields.Any(f => string.Equals(f.Name, v.Key, StringComparison.OrdinalIgnoreCase))).ToList();
        var query = string.Join('&', others.Select(o => $"{o.Key}={Uri.EscapeDataString(o.Value)}").Prepend(handler.Name is null ? "" : "handler=" + handler.Name).Where(q => q.Length > 0));
        var uri = query.Length == 0 ? path : $"{path}?{query}";
        using var request = new HttpRequestMessage(new HttpMethod(handler.Method), uri);
        if (handler.Method == "POST")
        {
            request.Content = new FormUrlEncodedContent(others.Append(new("__RequestVerificationToken", antiforgery)));
        }

        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode >= 500)
        {
            throw new Xunit.Sdk.XunitException($"{handler.Method} {uri}: {(int)response.StatusCode}");
        }

        return new Answer(response.StatusCode, body, uri + " " + string.Join(' ', values.Values));
    }

    private async Task<HttpResponseMessage> SendRawAsync(string host, string path, string cookie, (string Name, string Value)? header = null)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://localhost"), AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host;
        if (cookie.Length > 0)
        {
            request.Headers.Add("Cookie", cookie);
        }

        if (header is { } extra)
        {
            request.Headers.TryAddWithoutValidation(extra.Name, extra.Value);
        }

        return await client.SendAsync(request);
    }

    private static bool IsSignInRedirect(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.Contains("/admin/signin", StringComparison.OrdinalIgnoreCase) == true;

    private static bool IsGuid(Type type) => (Nullable.GetUnderlyingType(type) ?? type) == typeof(Guid) || type == typeof(Guid[]) || type == typeof(IReadOnlyList<Guid>);

    private static IEnumerable<(string Name, Type Type)> Parameters(Type request) =>
        request.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => (p.Name!, p.ParameterType))
            .Concat(request.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => (p.Name, p.PropertyType)))
            .DistinctBy(p => p.Item1);
}
