using System.Net;
using System.Text;
using System.Text.Json;
using CustomerInfo.TestSupport.Crm;

namespace CustomerInfo.IntegrationTests.Crm;

/// <summary>The fake refuses what Klaviyo refuses on "add profiles to a list", so the list switch does not pass by luck.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in DisposeAsync (IAsyncLifetime).")]
public sealed class FakeKlaviyoTests : IAsyncLifetime
{
    private FakeKlaviyo klaviyo = null!;
    private HttpClient client = null!;
    private string list = null!;
    private string profileId = null!;

    public async Task InitializeAsync()
    {
        klaviyo = await FakeKlaviyo.StartNewAsync();
        list = klaviyo.AddList("Newsletter");
        klaviyo.AddProfile("ann@example.com", new Dictionary<string, string>());
        profileId = klaviyo.Profile("ann@example.com")!.Id;
        client = new HttpClient { BaseAddress = new Uri(klaviyo.BaseUrl) };
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await klaviyo.DisposeAsync();
    }

    private Task<HttpResponseMessage> AddAsync(string listId, object body, string? key = null, string type = "application/vnd.api+json", string revision = "2026-07-15")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/lists/{listId}/relationships/profiles")
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, type),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Klaviyo-API-Key " + (key ?? klaviyo.ApiKey));
        request.Headers.TryAddWithoutValidation("revision", revision);
        return client.SendAsync(request);
    }

    private static object Profiles(params string[] ids) => new { data = ids.Select(id => new { type = "profile", id }).ToArray() };

    [Fact]
    public async Task Adding_a_known_profile_to_a_known_list_answers_204_and_leaves_its_consent_alone()
    {
        klaviyo.Unsubscribe("ann@example.com");

        var response = await AddAsync(list, Profiles(profileId));

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await response.Content.ReadAsStringAsync()).ShouldBeEmpty();
        var profile = klaviyo.Profile("ann@example.com")!;
        profile.Lists.ShouldBe([list]);
        profile.Consent.ShouldBe("UNSUBSCRIBED");
        profile.Suppressed.ShouldBeTrue();
        klaviyo.ListAdds.ShouldHaveSingleItem().ProfileIds.ShouldBe([profileId]);
    }

    [Fact]
    public async Task It_refuses_what_klaviyo_refuses()
    {
        (await AddAsync(list, Profiles(profileId), key: "pk_wrong")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await AddAsync(list, Profiles(profileId), revision: "latest")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await AddAsync(list, Profiles(profileId), type: "application/json")).StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await AddAsync("NOPE1", Profiles(profileId))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await AddAsync(list, Profiles())).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await AddAsync(list, new { data = new[] { new { type = "list", id = profileId } } })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await AddAsync(list, new { data = new[] { new { type = "profile", id = profileId, attributes = new { email = "ann@example.com" } } } })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await AddAsync(list, Profiles("01KUNKNOWN"))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await AddAsync(list, Profiles([.. Enumerable.Repeat(profileId, 1001)]))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        klaviyo.ListAdds.ShouldBeEmpty();
        klaviyo.Profile("ann@example.com")!.Lists.ShouldBeEmpty();
    }
}
