using System.Globalization;
using DrillHarness;

// The fault drills' harness, driven by drills/run.sh over a control API on loopback:
//   a loopback CRM (the signed webhook receiver, which can be switched down),
//   a kiosk load generator that resubmits like the offline queue (same submission id),
//   the check every drill ends with (stored exactly once, pushed once per sign-up),
//   and the latency report of the CRM push benchmark (bench/crm-push.sh).
// Arguments: --control PORT --crm PORT --db CONNECTION --web URL[,URL...]
var options = args.Chunk(2).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0].TrimStart('-'), pair => pair[1], StringComparer.Ordinal);
string Option(string name) => options.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required");

var controlPort = int.Parse(Option("control"), CultureInfo.InvariantCulture);
using var receiver = new LoopbackCrm(int.Parse(Option("crm"), CultureInfo.InvariantCulture));
await receiver.StartAsync();
using var kiosk = new KioskLoad(Option("web").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), options.GetValueOrDefault("host", "demo.localhost"));
var check = new DrillCheck(Option("db"), receiver, kiosk);
await using var latency = new PushLatency(Option("db"), receiver, kiosk);

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
builder.WebHost.UseUrls($"http://127.0.0.1:{controlPort}");
var app = builder.Build();
using var stopping = new CancellationTokenSource();

int Number(HttpRequest request, string name, int fallback) =>
    int.TryParse(request.Query[name], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;

app.MapPost("/connect", async (HttpRequest request) =>
{
    var web = request.Query["web"].FirstOrDefault() ?? kiosk.Targets[0];
    try
    {
        receiver.Secret = await DemoAdmin.ConnectWebhookAsync(web, kiosk.Host, request.Query["email"].FirstOrDefault() ?? "owner@demo.localhost", request.Query["password"]!, receiver.Url);
        return Results.Text("connected\n");
    }
    catch (Exception exception) when (exception is InvalidOperationException or HttpRequestException or FormatException)
    {
        return Results.Text(exception.Message + "\n", statusCode: 500);
    }
});
app.MapPost("/load/start", (HttpRequest request) =>
{
    latency.Start();
    kiosk.Start(Number(request, "tablets", 8), Number(request, "rate", 20), TimeSpan.FromMilliseconds(Number(request, "pause", 1000)));
    return Results.Text("started\n");
});
app.MapPost("/load/stop", async (HttpRequest request) =>
{
    var settled = await kiosk.StopAsync(TimeSpan.FromSeconds(Number(request, "settle", 90)));
    return Results.Text(settled ? "stopped\n" : "stopped, some sign-ups never got a success answer\n");
});
app.MapGet("/stats", () => Results.Text(kiosk.Describe() + "\n" + receiver.Describe() + "\n"));
app.MapPost("/crm/{mode}", async (string mode) =>
{
    await receiver.SetModeAsync(Enum.Parse<CrmMode>(mode, ignoreCase: true));
    return Results.Text($"crm {receiver.Mode}\n");
});
app.MapPost("/check", async (HttpRequest request) =>
{
    var verdict = await check.RunAsync(TimeSpan.FromSeconds(Number(request, "drain", 120)), Number(request, "max500", 0), Number(request, "maxfailms", int.MaxValue));
    return Results.Text(verdict.Report, statusCode: verdict.Passed ? 200 : 409);
});
app.MapPost("/latency", async (HttpRequest request) => Results.Text(await latency.ReportAsync(Number(request, "rate", 0))));
app.MapPost("/quit", () =>
{
    stopping.Cancel();
    return Results.Text("bye\n");
});

await app.StartAsync();
try
{
    await Task.Delay(Timeout.Infinite, stopping.Token);
}
catch (OperationCanceledException)
{
}

await kiosk.StopAsync(TimeSpan.Zero);
await receiver.StopAsync();
await app.StopAsync();
return 0;
