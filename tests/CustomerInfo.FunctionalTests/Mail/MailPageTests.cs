using System.Net;
using CustomerInfo.Application.Common.Mail;
using CustomerInfo.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.FunctionalTests.Mail;

/// <summary>The app as ./build.sh run starts it: Development, mail written to a pickup directory.</summary>
public sealed class DevelopmentMailApp : AppFactory
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "customerinfo-devmail-" + Guid.NewGuid().ToString("N"));

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Seed:Demo", "false"), new("Smtp:PickupDirectory", Directory)];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Development");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}

public class MailPageTests(DevelopmentMailApp app) : IClassFixture<DevelopmentMailApp>
{
    [Fact]
    public async Task The_development_mail_page_lists_caught_mail_newest_first_with_clickable_links()
    {
        var transport = app.Services.GetRequiredService<IMailTransport>();
        var link = new Uri("http://acme.localhost:8080/account/confirm?token=t1&next=%2Fadmin");
        await transport.SendAsync(Guid.NewGuid(), AccountMails.ConfirmEmail("first.reader@example.com", "en", "Acme <Ltd>", link), CancellationToken.None);
        await Task.Delay(5);
        await transport.SendAsync(Guid.NewGuid(), AccountMails.ResetPassword("second.reader@example.com", "nl", "Bravo", link), CancellationToken.None);

        var html = await AppFactory.ReadAsync(await app.ClientFor("localhost").GetAsync("/dev/mail"), HttpStatusCode.OK);

        html.ShouldContain("<h1>Caught mail</h1>");
        html.IndexOf("Stel een nieuw wachtwoord in voor Bravo", StringComparison.Ordinal)
            .ShouldBeLessThan(html.IndexOf("Confirm your email address for Acme &lt;Ltd&gt;", StringComparison.Ordinal));
        html.ShouldContain("second.reader@example.com");
        html.ShouldContain("<a href=\"http://acme.localhost:8080/account/confirm?token=t1&amp;next=%2Fadmin\">http://acme.localhost:8080/account/confirm?token=t1&amp;next=%2Fadmin</a>");
        html.ShouldNotContain("<Ltd>");
    }

    [Fact]
    public async Task The_mail_page_is_not_on_store_hosts()
    {
        await app.AddStoreAsync("mailstore", "Mail Store");

        (await app.ClientFor("mailstore.localhost").GetAsync("/dev/mail")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public void Links_in_a_mails_text_are_cut_out_and_nothing_else()
    {
        Web.Pages.Platform.MailModel.Segments("Open https://a.example/x?y=1 now, or javascript:alert(1).\nhttp://b.example")
            .ShouldBe([("Open ", false), ("https://a.example/x?y=1", true), (" now, or javascript:alert(1).\n", false), ("http://b.example", true)]);
    }
}

public class MailPageOutsideDevelopmentTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Outside_development_there_is_no_mail_page()
    {
        (await app.ClientFor("localhost").GetAsync("/dev/mail")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
