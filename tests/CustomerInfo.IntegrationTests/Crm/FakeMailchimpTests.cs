using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CustomerInfo.TestSupport.Crm;

namespace CustomerInfo.IntegrationTests.Crm;

/// <summary>The fake refuses what Mailchimp refuses, so a connector that passes against it is not passing by luck.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in DisposeAsync (IAsyncLifetime).")]
public sealed class FakeMailchimpTests : IAsyncLifetime
{
    private const string ListId = "a1b2c3d4e5";
    private FakeMailchimp mailchimp = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        mailchimp = await FakeMailchimp.StartNewAsync();
        mailchimp.AddList(ListId, "Newsletter");
        client = new HttpClient { BaseAddress = new Uri(mailchimp.BaseUrl + "/us21/3.0/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("any:" + FakeMailchimp.ApiKey)));
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await mailchimp.DisposeAsync();
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        problem.EnumerateObject().Select(p => p.Name).Except(["errors"]).ShouldBe(["type", "title", "status", "detail", "instance"], ignoreOrder: true);
        response.Headers.GetValues("X-Request-Id").Single().ShouldBe(problem.GetProperty("instance").GetString());
        return problem;
    }

    [Fact]
    public async Task Without_the_key_or_at_another_data_centre_it_answers_401()
    {
        using var anonymous = new HttpClient();
        var missing = await anonymous.GetAsync(mailchimp.BaseUrl + "/us21/3.0/ping");
        using var request = new HttpRequestMessage(HttpMethod.Get, mailchimp.BaseUrl + "/us5/3.0/ping");
        request.Headers.Authorization = client.DefaultRequestHeaders.Authorization;
        var elsewhere = await anonymous.SendAsync(request);

        (await ProblemAsync(missing, HttpStatusCode.Unauthorized)).GetProperty("title").GetString().ShouldBe("API Key Missing");
        (await ProblemAsync(elsewhere, HttpStatusCode.Unauthorized)).GetProperty("title").GetString().ShouldBe("API Key Invalid");
    }

    [Fact]
    public async Task A_member_put_needs_the_right_hash_status_if_new_and_a_known_status()
    {
        var path = $"lists/{ListId}/members/{FakeMailchimp.Hash("ann@example.com")}";

        var wrongHash = await client.PutAsync($"lists/{ListId}/members/{FakeMailchimp.Hash("bob@example.com")}", Json(new { email_address = "ann@example.com", status_if_new = "subscribed" }));
        var noStatusIfNew = await client.PutAsync(path, Json(new { email_address = "ann@example.com" }));
        var oddStatus = await client.PutAsync(path, Json(new { email_address = "ann@example.com", status_if_new = "active" }));
        var fine = await client.PutAsync(path, Json(new { email_address = "Ann@Example.com", status_if_new = "subscribed" }));

        await ProblemAsync(wrongHash, HttpStatusCode.BadRequest);
        await ProblemAsync(noStatusIfNew, HttpStatusCode.BadRequest);
        await ProblemAsync(oddStatus, HttpStatusCode.BadRequest);
        fine.StatusCode.ShouldBe(HttpStatusCode.OK);
        mailchimp.Member(ListId, "ann@example.com")!.Status.ShouldBe("subscribed");
    }

    [Fact]
    public async Task Status_if_new_leaves_an_unsubscribed_member_alone_and_status_subscribed_is_a_compliance_state()
    {
        mailchimp.SetMember(ListId, "ann@example.com", "unsubscribed");
        var path = $"lists/{ListId}/members/{FakeMailchimp.Hash("ann@example.com")}";

        var ifNew = await client.PutAsync(path, Json(new { email_address = "ann@example.com", status_if_new = "subscribed" }));
        mailchimp.Member(ListId, "ann@example.com")!.Status.ShouldBe("unsubscribed");
        var subscribed = await client.PutAsync(path, Json(new { email_address = "ann@example.com", status_if_new = "subscribed", status = "subscribed" }));

        ifNew.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ProblemAsync(subscribed, HttpStatusCode.BadRequest)).GetProperty("title").GetString().ShouldBe("Member In Compliance State");
        mailchimp.ConfirmationMails.ShouldBeEmpty();
    }

    [Fact]
    public async Task Required_merge_fields_are_checked_unless_skip_merge_validation()
    {
        mailchimp.List(ListId).AddMergeField("COMPANY", "Company", required: true);
        var path = $"lists/{ListId}/members/{FakeMailchimp.Hash("ann@example.com")}";

        var refused = await client.PutAsync(path, Json(new { email_address = "ann@example.com", status_if_new = "pending" }));
        var skipped = await client.PutAsync(path + "?skip_merge_validation=true", Json(new { email_address = "ann@example.com", status_if_new = "pending" }));

        var problem = await ProblemAsync(refused, HttpStatusCode.BadRequest);
        problem.GetProperty("detail").GetString().ShouldBe("Your merge fields were invalid.");
        problem.GetProperty("errors")[0].GetProperty("field").GetString().ShouldBe("COMPANY");
        skipped.StatusCode.ShouldBe(HttpStatusCode.OK);
        mailchimp.ConfirmationMails.ShouldBe(["ann@example.com"]);
    }

    [Fact]
    public async Task Collections_answer_ten_items_unless_asked_and_an_unknown_list_is_404()
    {
        for (var i = 0; i < 14; i++)
        {
            mailchimp.AddList($"list{i:D2}", $"Audience {i}");
        }

        var page = JsonDocument.Parse(await client.GetStringAsync("lists")).RootElement;
        var all = JsonDocument.Parse(await client.GetStringAsync("lists?count=1000")).RootElement;
        var unknown = await client.GetAsync("lists/nosuchlist");

        page.GetProperty("lists").GetArrayLength().ShouldBe(10);
        page.GetProperty("total_items").GetInt32().ShouldBe(15);
        all.GetProperty("lists").GetArrayLength().ShouldBe(15);
        (await ProblemAsync(unknown, HttpStatusCode.NotFound)).GetProperty("detail").GetString().ShouldBe("The requested resource could not be found.");
        (await client.GetAsync("lists?count=1001")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task More_than_ten_requests_at_once_get_429()
    {
        mailchimp.Latency = TimeSpan.FromMilliseconds(500);

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => client.GetAsync("ping")));

        answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests).ShouldBeGreaterThanOrEqualTo(2);
    }
}
