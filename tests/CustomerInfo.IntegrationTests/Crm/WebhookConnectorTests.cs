using System.Diagnostics;
using System.Net;
using System.Text.Json;
using CustomerInfo.Application.Crm;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Infrastructure.Crm.Webhook;
using CustomerInfo.TestSupport.Crm;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static CustomerInfo.IntegrationTests.Crm.CrmConnectorHost;

namespace CustomerInfo.IntegrationTests.Crm;

[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in DisposeAsync (IAsyncLifetime).")]
public sealed class WebhookConnectorTests : IAsyncLifetime
{
    private readonly string secret = CrmSettingField.NewSecret();
    private FakeWebhookReceiver receiver = null!;
    private CrmConnectorHost open = null!;
    private CrmConnectorHost guarded = null!;
    private CrmConnectorHost production = null!;

    public async Task InitializeAsync()
    {
        receiver = await FakeWebhookReceiver.StartNewAsync(secret);
        open = new CrmConnectorHost([new("Crm:AllowPrivateTargets", "true"), new("Crm:TimeoutSeconds", "2")]);
        guarded = new CrmConnectorHost([new("Crm:AllowPrivateTargets", "false"), new("Crm:TimeoutSeconds", "2")]);
        production = new CrmConnectorHost([new("Crm:TimeoutSeconds", "2")], environment: "Production");
    }

    public async Task DisposeAsync()
    {
        await open.DisposeAsync();
        await guarded.DisposeAsync();
        await production.DisposeAsync();
        await receiver.DisposeAsync();
    }

    private Dictionary<string, string> Settings(string? url = null) => new()
    {
        // By name: a reason names the host, and an address would be hidden in it as a number.
        [WebhookConnector.UrlSetting] = url ?? $"http://localhost:{receiver.Port}/hook",
        [WebhookConnector.SecretSetting] = secret,
    };

    private static async Task<CrmResult> PushAsync(CrmConnectorHost host, Dictionary<string, string> settings, CrmContact contact) =>
        (await host.Connector<WebhookConnector>().UpsertAsync(Target(settings), [contact], CancellationToken.None)).ShouldHaveSingleItem();

    [Fact]
    public async Task A_sign_up_arrives_signed_so_that_the_receivers_own_check_passes_with_every_field_of_payload_v1()
    {
        var contact = Contact("ann@example.com", phone: "+49 30 1234567", late: true);

        var result = await PushAsync(open, Settings(), contact);

        result.Kind.ShouldBe(CrmResultKind.Done);
        var delivery = receiver.Deliveries.ShouldHaveSingleItem();
        delivery.Id.ShouldBe(contact.DeliveryId);
        var request = receiver.Requests.ShouldHaveSingleItem();
        request.Header("Content-Type").ShouldBe("application/json; charset=utf-8");
        request.Header("User-Agent").ShouldBe("CustomerInfo-Webhooks/1");
        request.Header("webhook-signature").ShouldBe(WebhookConnector.Sign(secret, contact.DeliveryId, delivery.Timestamp, request.Body));

        var payload = delivery.Payload;
        Names(payload).ShouldBe(["type", "version", "timestamp", "data"]);
        delivery.Type.ShouldBe("contact.signed_up");
        payload.GetProperty("version").GetInt32().ShouldBe(1);
        var data = delivery.Data;
        Names(data).ShouldBe(["deliveryId", "signUpId", "contactId", "email", "phone", "firstName", "lastName", "birthday", "postalCode", "language", "store", "consent", "answers", "filledAt", "receivedAt", "late", "source", "mergedContactIds"]);
        data.GetProperty("deliveryId").GetString().ShouldBe(contact.DeliveryId);
        data.GetProperty("signUpId").GetGuid().ShouldBe(contact.SignUpId);
        data.GetProperty("email").GetString().ShouldBe("ann@example.com");
        data.GetProperty("birthday").GetString().ShouldBe("1990-02-14");
        data.GetProperty("store").GetString().ShouldBe("Acme City Centre");
        data.GetProperty("late").GetBoolean().ShouldBeTrue();
        data.GetProperty("source").GetString().ShouldBe("kiosk");
        var email = data.GetProperty("consent").GetProperty("email");
        Names(email).ShouldBe(["given", "givenAt", "text", "textVersion", "withdrawnAt", "isNew"]);
        email.GetProperty("given").GetBoolean().ShouldBeTrue();
        email.GetProperty("text").GetString().ShouldBe("Yes, send me news by email.");
        data.GetProperty("consent").GetProperty("sms").GetProperty("given").GetBoolean().ShouldBeFalse();
        var answer = data.GetProperty("answers")[0];
        Names(answer).ShouldBe(["key", "label", "values"]);
        answer.GetProperty("values").EnumerateArray().Select(v => v.GetString()).ShouldBe(["blue", "green"]);
    }

    [Fact]
    public async Task A_repeated_push_carries_the_same_delivery_id_so_the_receiver_keeps_one()
    {
        var contact = Contact("ann@example.com");

        (await PushAsync(open, Settings(), contact)).Kind.ShouldBe(CrmResultKind.Done);
        (await PushAsync(open, Settings(), contact)).Kind.ShouldBe(CrmResultKind.Done);

        receiver.Deliveries.Count.ShouldBe(2);
        receiver.Distinct.ShouldHaveSingleItem().Id.ShouldBe(contact.DeliveryId);
    }

    [Fact]
    public async Task Imports_erasures_and_the_connection_test_have_their_own_event_types()
    {
        var connector = open.Connector<WebhookConnector>();

        (await PushAsync(open, Settings(), Contact("ann@example.com") with { Source = SignUpSource.Import })).Kind.ShouldBe(CrmResultKind.Done);
        (await connector.EraseAsync(Target(Settings()), new CrmErasure(Guid.NewGuid(), "ann@example.com", null, null), CancellationToken.None)).Kind.ShouldBe(CrmResultKind.Done);
        (await connector.TestAsync(Target(Settings()), CancellationToken.None)).Kind.ShouldBe(CrmResultKind.Done);

        receiver.Deliveries.Select(d => d.Type).ShouldBe(["contact.imported", "contact.erased", "ping"]);
        receiver.Deliveries[0].Data.GetProperty("source").GetString().ShouldBe("import");
        Names(receiver.Deliveries[1].Data).ShouldBe(["contactId", "email", "phone"]);
        receiver.Deliveries[1].Id.ShouldStartWith("erase_");
        receiver.Deliveries[2].Data.ValueKind.ShouldBe(JsonValueKind.Null);
        receiver.Deliveries[2].Id.ShouldStartWith("test_");
    }

    [Fact]
    public async Task Without_private_targets_a_loopback_ip_is_refused_by_the_check_and_nothing_is_sent()
    {
        var settings = Settings($"http://127.0.0.1:{receiver.Port}/hook");

        guarded.Connector<WebhookConnector>().Check(settings).ShouldBe([new CrmSettingError(WebhookConnector.UrlSetting, CrmSettingProblem.PrivateAddress)]);
        var result = await PushAsync(guarded, settings, Contact("ann@example.com"));

        result.Kind.ShouldBe(CrmResultKind.Refused);
        result.Reason.ShouldBe("The webhook's host is an address that is not public (127.0.0.0/8), which is not allowed: a webhook must reach a public address.");
        receiver.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("[::1]")]
    public async Task Without_private_targets_localhost_names_and_ipv6_loopback_are_refused_by_the_check(string host)
    {
        var settings = Settings($"http://{host}:{receiver.Port}/hook");

        guarded.Connector<WebhookConnector>().Check(settings).ShouldBe([new CrmSettingError(WebhookConnector.UrlSetting, CrmSettingProblem.PrivateAddress)]);
        (await PushAsync(guarded, settings, Contact("ann@example.com"))).Kind.ShouldBe(CrmResultKind.Refused);
        receiver.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Without_private_targets_a_host_name_that_resolves_to_loopback_is_refused_when_connecting()
    {
        var name = Dns.GetHostName();
        (await Dns.GetHostAddressesAsync(name)).ShouldContain(IPAddress.Loopback, "this test needs a host name that resolves to 127.0.0.1 (/etc/hosts)");
        var settings = Settings($"http://{name}:{receiver.Port}/hook");
        guarded.Connector<WebhookConnector>().Check(settings).ShouldBeEmpty("a name is checked when connecting, where its DNS answer is used");

        var refused = await PushAsync(guarded, settings, Contact("ann@example.com"));
        receiver.Requests.ShouldBeEmpty();
        var allowed = await PushAsync(open, settings, Contact("ann@example.com"));

        refused.Kind.ShouldBe(CrmResultKind.Refused);
        refused.Reason.ShouldBe("The webhook's host resolves to an address that is not public (127.0.0.0/8), which is not allowed: a webhook must reach a public address.");
        allowed.Kind.ShouldBe(CrmResultKind.Done, "the same name reaches the receiver when private targets are allowed");
        receiver.Deliveries.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Without_private_targets_a_host_name_that_does_not_resolve_is_try_later()
    {
        var result = await PushAsync(guarded, Settings("http://no-such-host.invalid/hook"), Contact("ann@example.com"));

        result.Kind.ShouldBe(CrmResultKind.TryLater);
        result.Reason.ShouldBe("The webhook at no-such-host.invalid did not answer: its address could not be found.");
    }

    [Theory]
    [InlineData("http://hooks.example.com/hook", CrmSettingProblem.NotHttps)]
    [InlineData("https://hooks.example.com:8443/hook", CrmSettingProblem.NotHttps)]
    [InlineData("https://10.1.2.3/hook", CrmSettingProblem.PrivateAddress)]
    [InlineData("https://169.254.169.254/latest/meta-data", CrmSettingProblem.PrivateAddress)]
    [InlineData("https://localhost/hook", CrmSettingProblem.PrivateAddress)]
    public async Task In_production_a_webhook_must_be_https_on_port_443_at_a_public_host(string url, CrmSettingProblem problem)
    {
        var connector = production.Connector<WebhookConnector>();

        connector.Check(Settings(url)).ShouldBe([new CrmSettingError(WebhookConnector.UrlSetting, problem)]);
        var result = await PushAsync(production, Settings(url), Contact("ann@example.com"));

        result.Kind.ShouldBe(CrmResultKind.Refused);
        result.Reason.ShouldNotBeNullOrWhiteSpace();
        result.Reason!.ShouldNotContain(secret);
    }

    [Fact]
    public void In_production_an_https_url_on_port_443_with_a_public_name_passes_the_check() =>
        production.Connector<WebhookConnector>().Check(Settings("https://hooks.example.com/customerinfo?token=abc")).ShouldBeEmpty();

    [Fact]
    public async Task In_production_plain_http_to_the_receiver_is_refused_without_a_request()
    {
        var result = await PushAsync(production, Settings(), Contact("ann@example.com"));

        result.Kind.ShouldBe(CrmResultKind.Refused);
        result.Reason.ShouldBe("A webhook must use HTTPS on port 443 (https://…, no other port).");
        receiver.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("hooks.example.com/hook")]
    [InlineData("ftp://hooks.example.com/hook")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://user:password@hooks.example.com/hook")]
    [InlineData("https://hooks.exa mple.com/hook")]
    [InlineData("https://hooks.example.com/ho\nok")]
    [InlineData("https://hooks.example.com/\u0000")]
    [InlineData("https://")]
    [InlineData("https:///hook")]
    [InlineData("http://[::1/hook")]
    public async Task An_invalid_url_is_a_check_error_and_a_refused_push_not_an_exception(string url)
    {
        var connector = guarded.Connector<WebhookConnector>();

        connector.Check(Settings(url)).ShouldBe([new CrmSettingError(WebhookConnector.UrlSetting, CrmSettingProblem.InvalidUrl)]);
        var result = await PushAsync(guarded, Settings(url), Contact("ann@example.com"));

        result.Kind.ShouldBe(CrmResultKind.Refused);
        result.Reason!.ShouldStartWith("The webhook's URL is not a valid");
        result.Reason.ShouldNotContain("hooks.exa", Case.Insensitive, "the reason does not repeat what the retailer typed");
    }

    [Theory]
    [InlineData("")]
    [InlineData("whsec_")]
    [InlineData("whsec_not base64 at all!!")]
    [InlineData("whsec_c2hvcnQ=")]
    [InlineData("sk_live_0123456789abcdef0123456789abcdef")]
    [InlineData("whsec_\u00e9\u00e8\n\u0000")]
    public async Task A_secret_with_odd_characters_is_malformed_not_an_exception(string badSecret)
    {
        var settings = Settings();
        settings[WebhookConnector.SecretSetting] = badSecret;

        open.Connector<WebhookConnector>().Check(settings).ShouldBe([new CrmSettingError(WebhookConnector.SecretSetting, CrmSettingProblem.Malformed)]);
        var result = await PushAsync(open, settings, Contact("ann@example.com"));

        result.Kind.ShouldBe(CrmResultKind.Refused);
        result.Reason!.ShouldContain("signing secret");
        receiver.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_429_with_retry_after_is_try_later_at_that_time()
    {
        receiver.RetryAfterSeconds = 30;
        receiver.FailNext(HttpFault.TooManyRequests);

        var result = await PushAsync(open, Settings(), Contact("ann@example.com"));

        result.Kind.ShouldBe(CrmResultKind.TryLater);
        result.RetryAfter.ShouldBe(TimeSpan.FromSeconds(30));
        result.Reason!.ShouldStartWith($"The webhook at localhost answered 429");
    }

    [Theory]
    [InlineData(HttpFault.ServerError, CrmResultKind.TryLater, "The webhook at localhost answered 500 Internal Server Error")]
    [InlineData(HttpFault.Unavailable, CrmResultKind.TryLater, "The webhook at localhost answered 503 Service Unavailable")]
    [InlineData(HttpFault.Timeout, CrmResultKind.TryLater, "The webhook at localhost did not answer: no answer within 2 s.")]
    [InlineData(HttpFault.Html, CrmResultKind.Done, null)]
    [InlineData(HttpFault.HugeBody, CrmResultKind.Done, null)]
    public async Task A_failing_or_odd_receiver_gives_a_clear_result(HttpFault fault, CrmResultKind kind, string? reason)
    {
        receiver.SlowAnswer = TimeSpan.FromSeconds(5);
        receiver.FailNext(fault);
        var clock = Stopwatch.StartNew();

        var result = await PushAsync(open, Settings(), Contact("ann@example.com"));

        result.Kind.ShouldBe(kind, "any 2xx is a delivery; what the receiver writes back is not read beyond 256 KB");
        result.Reason.ShouldBe(reason);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task A_receiver_that_is_down_is_try_later()
    {
        await receiver.StopAsync();

        var result = await PushAsync(open, Settings(), Contact("ann@example.com"));

        result.Kind.ShouldBe(CrmResultKind.TryLater);
        result.Reason.ShouldBe("The webhook at localhost did not answer: the connection was refused or dropped.");
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_is_refused_with_advice()
    {
        await using var redirecting = new RedirectingReceiver(receiver.Url);
        await redirecting.StartAsync();

        var result = await PushAsync(open, Settings($"http://localhost:{redirecting.Port}/hook"), Contact("ann@example.com"));

        result.Kind.ShouldBe(CrmResultKind.Refused);
        result.Reason.ShouldBe("The webhook at localhost answered 307 (a redirect); webhooks are not redirected, so enter the address it points to.");
        redirecting.Requests.Count.ShouldBe(1);
        receiver.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_receiver_that_rejects_the_signature_is_refused_with_its_status()
    {
        receiver.Secret = CrmSettingField.NewSecret();

        var result = await PushAsync(open, Settings(), Contact("ann@example.com"));

        result.Kind.ShouldBe(CrmResultKind.BadCredentials);
        result.Reason!.ShouldStartWith("The webhook at localhost answered 401");
        result.Reason.ShouldNotContain(secret["whsec_".Length..]);
    }

    private static List<string> Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

    /// <summary>A receiver that moved: every POST answers 307 to where it went.</summary>
    private sealed class RedirectingReceiver(string location) : LoopbackHttpFake
    {
        protected override void Map(IEndpointRouteBuilder routes) => routes.MapPost("/hook", context =>
        {
            context.Response.StatusCode = 307;
            context.Response.Headers.Location = location;
            return Task.CompletedTask;
        });

        protected override string ErrorBody(int status, string message) => "{}";
    }
}
