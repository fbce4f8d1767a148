using System.Text;
using CustomerInfo.Infrastructure.Crm;
using CustomerInfo.TestSupport.Crm;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerInfo.IntegrationTests.Crm;

/// <summary>
/// The body of a CRM's answer is read into a pooled buffer that grows as it fills (16 KB first), up
/// to <see cref="CrmHttp.MaxBodyBytes"/>: every size on both sides of each growth and of the limit
/// comes back byte for byte, and only a longer one is cut, and said to be.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in DisposeAsync (IAsyncLifetime).")]
public sealed class CrmHttpTests : IAsyncLifetime
{
    private readonly SizedAnswers crm = new();
    private readonly HttpClient http = new();

    public Task InitializeAsync() => crm.StartAsync();

    public async Task DisposeAsync()
    {
        http.Dispose();
        await crm.DisposeAsync();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16 * 1024 - 1)]
    [InlineData(16 * 1024)]
    [InlineData(16 * 1024 + 1)]
    [InlineData(100_003)]
    [InlineData(CrmHttp.MaxBodyBytes - 1)]
    [InlineData(CrmHttp.MaxBodyBytes)]
    public async Task A_body_up_to_the_limit_is_read_whole(int bytes)
    {
        var answer = await SendAsync(bytes);

        answer.Truncated.ShouldBeFalse();
        answer.Body.ShouldBe(SizedAnswers.Text(bytes));
    }

    [Theory]
    [InlineData(CrmHttp.MaxBodyBytes + 1)]
    [InlineData(3 * 1024 * 1024)]
    public async Task A_longer_body_is_cut_at_the_limit_and_said_to_be(int bytes)
    {
        var answer = await SendAsync(bytes);

        answer.Truncated.ShouldBeTrue();
        answer.Body.ShouldBe(SizedAnswers.Text(CrmHttp.MaxBodyBytes));
    }

    private async Task<CrmHttpAnswer> SendAsync(int bytes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{crm.BaseUrl}/body?bytes={bytes}");
        return await CrmHttp.SendAsync(http, request, CancellationToken.None);
    }

    /// <summary>Answers GET /body?bytes=N with N bytes of text, written in uneven pieces so the client reads it in many.</summary>
    private sealed class SizedAnswers : LoopbackHttpFake
    {
        private const string Pattern = "0123456789abcdefghijklmnopqrstuvwxyz";

        public static string Text(int bytes) =>
            string.Create(bytes, 0, (span, _) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = Pattern[i % Pattern.Length];
                }
            });

        protected override void Map(IEndpointRouteBuilder routes) => routes.MapGet("/body", async (HttpContext context, int bytes) =>
        {
            context.Response.ContentType = "text/plain";
            var body = Encoding.ASCII.GetBytes(Text(bytes));
            for (int written = 0, piece = 1000; written < body.Length; written += piece, piece = piece * 7 % 9973 + 1)
            {
                await context.Response.Body.WriteAsync(body.AsMemory(written, Math.Min(piece, body.Length - written)), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        });

        protected override string ErrorBody(int status, string message) => message;
    }
}
