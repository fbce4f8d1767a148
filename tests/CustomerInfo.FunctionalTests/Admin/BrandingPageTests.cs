using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using CustomerInfo.Application.Admin.GetOverview;
using CustomerInfo.Application.Brand;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.FunctionalTests.SignUps;
using CustomerInfo.TestSupport;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.FunctionalTests.Admin;

public partial class BrandingPageTests(SignUpApp app) : IClassFixture<SignUpApp>, IAsyncLifetime
{
    private const string Manager = "manager@acme.test";
    private HttpClient manager = null!;
    private Guid acmeId;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        acmeId = await app.AddStoreAsync("acme", "Acme Shoes");
        await app.AddStoreAsync("bravo", "Bravo Books");
        await app.AddMemberAsync("acme", Manager, TeamRole.Manager);
        await app.AddMemberAsync("acme", "staff@acme.test", TeamRole.Staff);
        manager = app.ClientFor("acme.localhost");
        await Members.SignedInAsync(manager, Manager);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(string Html, string Token, string Version)> OpenAsync(string path = "/admin/branding")
    {
        var html = await AppFactory.ReadAsync(await manager.GetAsync(path), HttpStatusCode.OK);
        return (html, Forms.AntiforgeryToken(html), VersionField().Match(html).Groups[1].Value);
    }

    private async Task<HttpResponseMessage> SaveAsync(string name, string primary, string background, string? version = null, string lang = "")
    {
        var page = await OpenAsync("/admin/branding" + lang);
        return await manager.PostAsync("/admin/branding?handler=Save" + lang.Replace('?', '&'), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = page.Token,
            ["Form.StoreName"] = name,
            ["Form.PrimaryColour"] = primary,
            ["Form.BackgroundColour"] = background,
            ["Form.Version"] = version ?? page.Version,
        }));
    }

    private async Task<HttpResponseMessage> UploadAsync(byte[] file, string fileName = "logo.png", string contentType = "image/png")
    {
        var page = await OpenAsync();
        var form = new MultipartFormDataContent
        {
            { new StringContent(page.Token), "__RequestVerificationToken" },
            { new StringContent(page.Version), "version" },
        };
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(content, "logo", fileName);
        return await manager.PostAsync("/admin/branding?handler=Logo", form);
    }

    private async Task<FormDefinition?> StoredFormAsync()
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(acmeId.ToString());
        return await session.LoadAsync<FormDefinition>(FormDefinition.CurrentId);
    }

    private async Task<int> StoredImageCountAsync()
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(acmeId.ToString());
        return await session.Query<BrandImage>().CountAsync();
    }

    [Fact]
    public async Task Staff_may_not_open_branding_and_a_manager_may_from_the_nav_and_the_checklist()
    {
        var staff = app.ClientFor("acme.localhost");
        await Members.SignedInAsync(staff, "staff@acme.test");

        (await staff.GetAsync("/admin/branding")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await app.ClientFor("acme.localhost").GetAsync("/admin/branding")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await app.AddMemberAsync("acme", "owner@acme.test", TeamRole.Owner);
        var owner = app.ClientFor("acme.localhost");
        await Members.SignedInAsync(owner, "owner@acme.test");
        (await owner.GetAsync("/admin/branding")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await staff.GetAsync("/admin")).Content.ReadAsStringAsync()).ShouldNotContain("/admin/branding");
        var overview = await AppFactory.ReadAsync(await manager.GetAsync("/admin"), HttpStatusCode.OK);
        overview.ShouldContain("<a href=\"/admin/branding\">Brand the form</a>");
        var html = (await OpenAsync()).Html;
        html.ShouldContain("aria-current=\"page\">Branding</a>");
        html.ShouldContain("value=\"Acme Shoes\"");
        html.ShouldContain("<label for=\"primary-picker\">");
        html.ShouldContain("<label for=\"primary-code\">");
        html.ShouldContain("type=\"color\"");
        (await OpenAsync("/admin/branding?lang=nl")).Html.ShouldContain("<h1>Huisstijl</h1>");
    }

    [Fact]
    public async Task Saving_renames_the_store_and_publishes_only_the_colours_and_the_checklist_step_is_done()
    {
        var before = (await app.SendAsync("acme", new GetOverviewQuery())).Checklist.Single(i => i.Step == ChecklistStep.BrandForm);
        (before.Available, before.Done).ShouldBe((true, false));

        var response = await SaveAsync("  Acme Shoes & Boots  ", "#FFD400", "#ffffff");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var after = await OpenAsync();
        after.Html.ShouldContain("Your branding is saved and published as version 1.");
        after.Html.ShouldContain("value=\"Acme Shoes &amp; Boots\"");
        var stored = (await StoredFormAsync()).ShouldNotBeNull();
        stored.Version.ShouldBe(1);
        stored.Branding.PrimaryColor.ShouldBe("#ffd400");
        stored.Branding.BackgroundColor.ShouldBe("#ffffff");
        stored.Fields.ShouldBe(FormDefinition.StarterFor("Acme Shoes & Boots").Fields);
        var overview = await AppFactory.ReadAsync(await manager.GetAsync("/admin"), HttpStatusCode.OK);
        overview.ShouldContain("Acme Shoes &amp; Boots");
        (await app.SendAsync("acme", new GetOverviewQuery())).Checklist.Single(i => i.Step == ChecklistStep.BrandForm).Done.ShouldBeTrue();
        var kiosk = await AppFactory.ReadAsync(await app.ClientFor("acme.localhost").GetAsync("/"), HttpStatusCode.OK);
        kiosk.ShouldContain("--brand:#ffd400;--on-brand:#17202b;--bg:#ffffff");
        kiosk.ShouldContain("Acme Shoes &amp; Boots");
    }

    [Theory]
    [InlineData("red")]
    [InlineData("#12345")]
    [InlineData("javascript:")]
    [InlineData("#1f5f8b;}body{display:none")]
    [InlineData("")]
    public async Task A_colour_that_is_not_a_colour_is_refused_with_a_message_and_nothing_is_published(string colour)
    {
        var response = await SaveAsync("Acme Shoes", colour, "#ffffff");

        var html = await AppFactory.ReadAsync(response, HttpStatusCode.OK);
        html.ShouldContain("<span id=\"primary-error\" class=\"field-error\">Choose a colour as #rrggbb, for example #1f5f8b.</span>");
        html.ShouldContain("aria-invalid=\"true\"");
        (await StoredFormAsync()).ShouldBeNull();
        html.ShouldNotContain("display:none;");
    }

    [Fact]
    public async Task An_unreadable_pair_is_refused_with_the_ratio_found_and_needed_in_english_and_dutch()
    {
        var english = await AppFactory.ReadAsync(await SaveAsync("Acme Shoes", "#777777", "#444444"), HttpStatusCode.OK);

        english.ShouldContain("Text on this primary colour would have a contrast of 4.48:1; at least 4.5:1 is needed.");
        english.ShouldContain("Dark text on this background would have a contrast of");
        english.ShouldContain("value=\"#777777\"");
        var dutch = await AppFactory.ReadAsync(await SaveAsync("Acme Shoes", "#777777", "#ffffff", lang: "?lang=nl"), HttpStatusCode.OK);
        dutch.ShouldContain("Tekst op deze hoofdkleur zou een contrast van 4,48:1 hebben; minstens 4,5:1 is nodig.");
        (await StoredFormAsync()).ShouldBeNull();

        (await SaveAsync("Acme Shoes", "#767676", "#ffffff")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Line\nbreak")]
    [InlineData("Bell\u0007ring")]
    [InlineData("\u202Eseohs emca")]
    public async Task A_bad_store_name_is_refused_and_the_name_stays(string name)
    {
        var html = await AppFactory.ReadAsync(await SaveAsync(name, "#1f5f8b", "#f5f7fa"), HttpStatusCode.OK);

        html.ShouldContain("id=\"store-name-error\"");
        (await OpenAsync()).Html.ShouldContain("value=\"Acme Shoes\"");
    }

    [Fact]
    public async Task Every_naughty_string_as_a_store_name_is_stored_or_refused_with_a_message_never_an_error()
    {
        var corpus = System.Text.Json.JsonSerializer.Deserialize<string[]>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "SignUps", "NaughtyStrings", "blns.json")))!
            .Append("\ud800 lone surrogate").Append("\uFFFD replaced").Append(new string('x', 81)).Append("👩‍👩‍👧 عربي");
        var accepted = 0;
        var refused = 0;
        foreach (var naughty in corpus)
        {
            var version = (await app.SendAsync("acme", new GetBrandingQuery())).Version;
            try
            {
                (await app.SendAsync("acme", new SaveBrandingCommand(naughty, "#1f5f8b", "#f5f7fa", version))).IsConflict.ShouldBeFalse(naughty);
                accepted++;
            }
            catch (FluentValidation.ValidationException e)
            {
                e.Errors.ShouldAllBe(f => f.PropertyName == nameof(SaveBrandingCommand.StoreName), naughty);
                refused++;
            }
        }

        accepted.ShouldBeGreaterThan(400);
        refused.ShouldBeGreaterThan(5);
        (await app.SendAsync("acme", new GetBrandingQuery())).StoreName.ShouldBe("👩‍👩‍👧 عربي");
        await AppFactory.ReadAsync(await app.ClientFor("acme.localhost").GetAsync("/"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Hostile_names_are_stored_as_typed_and_shown_encoded()
    {
        const string name = "<script>alert('x')</script> & \"Shoes\"";
        (await SaveAsync(name, "#1f5f8b", "#f5f7fa")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var kiosk = await AppFactory.ReadAsync(await app.ClientFor("acme.localhost").GetAsync("/"), HttpStatusCode.OK);
        kiosk.ShouldNotContain("<script>alert");
        kiosk.ShouldContain("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;Shoes&quot;");
    }

    [Fact]
    public async Task Someone_publishing_meanwhile_is_reported_by_version_and_what_was_typed_stays()
    {
        var page = await OpenAsync();
        await app.SendAsync("acme", new PublishFormDefinitionCommand(FormDefinition.StarterFor("Acme Shoes")));

        var response = await manager.PostAsync("/admin/branding?handler=Save", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = page.Token,
            ["Form.StoreName"] = "Acme Renamed",
            ["Form.PrimaryColour"] = "#0b6e4f",
            ["Form.BackgroundColour"] = "#ffffff",
            ["Form.Version"] = page.Version,
        }));

        var html = await AppFactory.ReadAsync(response, HttpStatusCode.Conflict);
        html.ShouldContain("Someone published version 1 meanwhile.");
        html.ShouldContain("value=\"#0b6e4f\"");
        html.ShouldContain("value=\"Acme Renamed\"");
        html.ShouldContain("name=\"Form.Version\" value=\"1\"");
        (await StoredFormAsync())!.Branding.PrimaryColor.ShouldBe("#1f5f8b");
        (await OpenAsync()).Html.ShouldContain("value=\"Acme Shoes\"");
    }

    public static TheoryData<string, byte[], string, string> BadFiles => new()
    {
        { "HTML named logo.png", TestImages.HtmlPretendingToBePng(), "logo.png", "That file is not a PNG, JPEG or WebP image, whatever its name says." },
        { "PNG signature then HTML", TestImages.PngSignatureThenHtml(), "logo.png", "That image is damaged or incomplete and can&#x27;t be read." },
        { "zip", TestImages.Zip(), "logo.png", "That file is not a PNG, JPEG or WebP image" },
        { "20000 x 20000 PNG", TestImages.PngClaiming(20_000, 20_000), "logo.png", "That image is too large: at most 4096 pixels a side and 16 megapixels." },
        { "truncated JPEG", TestImages.TruncatedJpeg(), "logo.jpg", "That image is damaged or incomplete" },
        { "SVG", TestImages.Svg(), "logo.svg", "SVG files can&#x27;t be used; upload a PNG, JPEG or WebP image." },
        { "empty", [], "logo.png", "That file is empty." },
        { "1.05 MB of PNG-looking bytes", [.. TestImages.Png(16, 16), .. new byte[1_100_000]], "logo.png", "That file is larger than 1 MB." },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_logo_file_gets_a_clear_message_and_nothing_is_saved(string what, byte[] file, string fileName, string message)
    {
        var response = await UploadAsync(file, fileName);

        var html = await AppFactory.ReadAsync(response, HttpStatusCode.UnprocessableEntity);
        html.ShouldContain(message, customMessage: what);
        html.ShouldContain("id=\"logo-error\"");
        (await StoredFormAsync()).ShouldBeNull();
        (await StoredImageCountAsync()).ShouldBe(0);
    }

    [Theory]
    [InlineData(2 * 1024 * 1024)]
    [InlineData(50 * 1024 * 1024)]
    public async Task An_upload_over_the_size_limit_is_refused_before_it_is_read_with_the_page_and_its_message(int bytes)
    {
        var response = await UploadAsync([.. TestImages.Png(16, 16), .. new byte[bytes]]);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/admin/branding?problem=TooLarge");
        var html = await AppFactory.ReadAsync(await manager.GetAsync(response.Headers.Location), HttpStatusCode.OK);
        html.ShouldContain("That file is larger than 1 MB. Upload a smaller PNG, JPEG or WebP image.");
        (await StoredImageCountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task A_jpeg_with_exif_comes_back_as_small_webp_without_it_under_a_year_long_cache()
    {
        var response = await UploadAsync(TestImages.JpegWithExifAndTrailer(), "photo.jpg", "image/jpeg");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var logo = (await StoredFormAsync()).ShouldNotBeNull().Branding.Logo.ShouldNotBeNull();
        (logo.Width, logo.Height).ShouldBe((168, 56));
        var kiosk = await AppFactory.ReadAsync(await app.ClientFor("acme.localhost").GetAsync("/"), HttpStatusCode.OK);
        kiosk.ShouldContain($"<img class=\"logo\" src=\"/brand/logo/{logo.Fingerprint}\" srcset=\"/brand/logo/{logo.HiDpiFingerprint} 2x\" width=\"168\" height=\"56\" alt=\"Acme Shoes\">");

        foreach (var path in new[] { logo.Path, BrandLogo.PathPrefix + logo.HiDpiFingerprint })
        {
            var image = await app.ClientFor("acme.localhost").GetAsync(path);
            image.StatusCode.ShouldBe(HttpStatusCode.OK);
            image.Content.Headers.ContentType!.MediaType.ShouldBe("image/webp");
            image.Headers.CacheControl!.ToString().ShouldBe("public, max-age=31536000, immutable");
            image.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
            image.Headers.ETag.ShouldNotBeNull();
            var bytes = await image.Content.ReadAsByteArrayAsync();
            bytes.Length.ShouldBeLessThanOrEqualTo(40 * 1024);
            LogoFile.Sniff(bytes).ShouldBe(LogoFileKind.WebP);
            var text = Encoding.ASCII.GetString(bytes);
            text.ShouldNotContain("Exif");
            text.ShouldNotContain("SecretCam");
            text.ShouldNotContain("<script>");

            using var again = new HttpRequestMessage(HttpMethod.Get, path);
            again.Headers.IfNoneMatch.Add(image.Headers.ETag);
            (await app.ClientFor("acme.localhost").SendAsync(again)).StatusCode.ShouldBe(HttpStatusCode.NotModified);
        }
    }

    [Fact]
    public async Task A_logo_is_not_served_on_another_stores_host_nor_for_a_fingerprint_nobody_has()
    {
        (await UploadAsync(TestImages.Png())).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var logo = (await StoredFormAsync())!.Branding.Logo!;

        (await app.ClientFor("acme.localhost").GetAsync(logo.Path)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.ClientFor("bravo.localhost").GetAsync(logo.Path)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.ClientFor("localhost").GetAsync(logo.Path)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.ClientFor("acme.localhost").GetAsync(BrandLogo.PathPrefix + new string('0', 32))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.ClientFor("acme.localhost").GetAsync(BrandLogo.PathPrefix + "..%2f..%2fetc%2fpasswd")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Removing_the_logo_publishes_a_version_without_it_and_the_kiosk_shows_the_name()
    {
        (await UploadAsync(TestImages.Png())).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var page = await OpenAsync();
        page.Html.ShouldContain("Remove logo");

        var removed = await manager.PostAsync("/admin/branding?handler=RemoveLogo", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = page.Token,
            ["version"] = page.Version,
        }));

        removed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var stored = (await StoredFormAsync())!;
        stored.Version.ShouldBe(2);
        stored.Branding.Logo.ShouldBeNull();
        var kiosk = await AppFactory.ReadAsync(await app.ClientFor("acme.localhost").GetAsync("/"), HttpStatusCode.OK);
        kiosk.ShouldNotContain("class=\"logo\"");
    }

    [GeneratedRegex("name=\"Form.Version\" value=\"(\\d+)\"")]
    private static partial Regex VersionField();
}
