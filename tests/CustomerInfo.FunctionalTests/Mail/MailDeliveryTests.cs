using CustomerInfo.Application.Common.Mail;
using CustomerInfo.TestSupport;
using Hangfire;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using SmtpServer.Protocol;

namespace CustomerInfo.FunctionalTests.Mail;

public class MailDeliveryTests(MailApp app) : IClassFixture<MailApp>, IAsyncLifetime
{
    private const string Address = "quintessa.mailtest@example.com";
    private static readonly Uri Link = new("http://acme.localhost/account/confirm?token=tok-9f3a");

    public Task InitializeAsync()
    {
        app.Smtp.RefuseWith = null;
        return app.ResetAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_queued_mail_is_sent_by_its_job_with_the_right_headers_text_and_link_and_then_forgotten()
    {
        var mailId = await app.QueueAsync(AccountMails.ConfirmEmail(Address, "nl", "Acme", Link));

        var message = await app.Smtp.WaitForMailAsync(mailId);

        message.To.Mailboxes.Single().Address.ShouldBe(Address);
        message.From.Mailboxes.Single().Address.ShouldBe("noreply@customerinfo.test");
        message.Subject.ShouldBe("Bevestig je e-mailadres voor Acme");
        message.MessageId.ShouldBe($"{mailId:N}@customerinfo.test");
        message.TextBody.ShouldStartWith("Bevestig je e-mailadres om CustomerInfo voor Acme te gaan gebruiken.");
        FakeSmtpServer.Links(message).ShouldBe([Link]);
        message.HtmlBody.ShouldNotBeNull().ShouldContain(Link.AbsoluteUri);
        await MailJobs.EventuallyAsync(async () => await app.QueuedAsync(mailId) is null, "the sent mail is deleted");
        (await DatabaseSearch.FindAsync(app.Database.ConnectionString, Address, "tok-9f3a")).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_job_holds_nothing_but_the_mails_id()
    {
        var mailId = await app.QueueAsync(AccountMails.ResetPassword(Address, "en", "Acme", Link));
        await app.Smtp.WaitForMailAsync(mailId);

        var job = (await app.JobsForAsync(mailId)).ShouldHaveSingleItem();

        job.Arguments.ShouldBe($"[\"{{\\\"MailId\\\":\\\"{mailId}\\\"}}\", null]");
        job.Invocation.ShouldContain("SendMailCommand");
        (job.Arguments + job.Invocation).ShouldNotContain("@");
        (job.Arguments + job.Invocation).ShouldNotContain("tok-9f3a");
    }

    [Fact]
    public async Task A_mail_added_to_a_tenants_session_is_sent_once_that_session_is_saved_and_never_if_it_is_not()
    {
        var store = app.Services.GetRequiredService<IDocumentStore>();
        var outbox = app.Services.GetRequiredService<IMailOutbox>();
        var tenantId = await app.AddStoreAsync("acme", "Acme");

        Guid abandoned;
        await using (var session = store.LightweightSession(tenantId.ToString()))
        {
            abandoned = outbox.Add(session, AccountMails.ConfirmEmail("abandoned@example.com", "en", "Acme", Link));
        }

        Guid saved;
        await using (var session = store.LightweightSession(tenantId.ToString()))
        {
            saved = outbox.Add(session, AccountMails.Invitation(Address, "en", "Acme", null, "Staff", Link));
            (await app.JobsForAsync(saved)).ShouldBeEmpty();
            await session.SaveChangesAsync();
        }

        (await app.Smtp.WaitForMailAsync(saved)).To.Mailboxes.Single().Address.ShouldBe(Address);
        (await app.JobsForAsync(abandoned)).ShouldBeEmpty();
        (await app.QueuedAsync(abandoned)).ShouldBeNull();
    }

    [Fact]
    public async Task A_refused_mail_fails_its_job_is_kept_for_the_retry_and_is_sent_by_it_with_no_address_in_hangfire()
    {
        // Real servers quote the recipient in their refusals: none of it may reach logs or Hangfire.
        app.Smtp.RefuseWith = new SmtpResponse(SmtpReplyCode.MailboxUnavailable, $"4.3.0 <{Address}> try again later");
        var mailId = await app.QueueAsync(AccountMails.ResetPassword(Address, "en", "Acme", Link));
        var job = (await app.JobsForAsync(mailId)).ShouldHaveSingleItem();

        await MailJobs.EventuallyAsync(async () => (await app.StatesAsync(job.Id)).Contains("Failed"), "the job fails", explain: async () => string.Join(", ", await app.StatesAsync(job.Id)) + "\n" + string.Join("\n", app.Logs.Lines.Where(l => l.Contains("angfire", StringComparison.Ordinal)).TakeLast(15)));
        await MailJobs.EventuallyAsync(async () => await app.LastStateAsync(job.Id) == "Scheduled", "the job is scheduled for a retry");

        (await app.QueuedAsync(mailId)).ShouldNotBeNull().Mail.To.ShouldBe(Address);
        var holding = await DatabaseSearch.FindAsync(app.Database.ConnectionString, Address);
        holding.ShouldAllBe(place => place.StartsWith("customerinfo.mt_doc_queuedmail.", StringComparison.Ordinal));
        app.Smtp.Messages.ShouldNotContain(m => m.MessageId == $"{mailId:N}@customerinfo.test");

        app.Smtp.RefuseWith = null;
        app.Services.GetRequiredService<IBackgroundJobClient>().Requeue(job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ShouldBeTrue();

        await app.Smtp.WaitForMailAsync(mailId);
        await MailJobs.EventuallyAsync(async () => await app.QueuedAsync(mailId) is null, "the mail is deleted once sent");
        await MailJobs.EventuallyAsync(async () => await app.LastStateAsync(job.Id) == "Succeeded", "the retry succeeds");
    }

    [Fact]
    public async Task A_second_run_of_a_sent_mails_job_sends_nothing()
    {
        var mailId = await app.QueueAsync(AccountMails.ConfirmEmail(Address, "en", "Acme", Link));
        await app.Smtp.WaitForMailAsync(mailId);
        var job = (await app.JobsForAsync(mailId)).ShouldHaveSingleItem();
        await MailJobs.EventuallyAsync(async () => await app.LastStateAsync(job.Id) == "Succeeded", "the job succeeds");
        var sent = app.Smtp.Messages.Count;

        app.Services.GetRequiredService<IBackgroundJobClient>().Requeue(job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ShouldBeTrue();
        await MailJobs.EventuallyAsync(async () => (await app.StatesAsync(job.Id)).Count(s => s == "Succeeded") == 2, "the second run succeeds");

        app.Smtp.Messages.Count.ShouldBe(sent);
    }

    [Fact]
    public async Task An_address_that_is_not_one_mailbox_is_refused_when_queued_without_repeating_it()
    {
        var error = await Should.ThrowAsync<ArgumentException>(() => app.QueueAsync(new OutgoingMail("ann@example.com, eve@example.com", "Hi", "Hello")));

        error.Message.ShouldNotContain("eve@example.com");
    }
}

public class PickupDirectoryTests(PickupMailApp app) : IClassFixture<PickupMailApp>
{
    [Fact]
    public async Task With_a_pickup_directory_each_mail_is_written_there_as_an_eml_file_instead_of_sent()
    {
        var link = new Uri("http://localhost/start");
        var mailId = await app.QueueAsync(AccountMails.NoAccount("nobody.known@example.com", "en", link));

        var file = Path.Combine(app.Directory, "x");
        await MailJobs.EventuallyAsync(
            () => Task.FromResult(Directory.Exists(app.Directory) && Directory.GetFiles(app.Directory, $"*-{mailId:N}.eml").Length == 1),
            "an .eml file appears",
            explain: async () => string.Join(", ", await app.StatesAsync((await app.JobsForAsync(mailId)).Single().Id))
                + "\n" + string.Join("\n", app.Logs.Lines.Where(l => l.Contains("Mail", StringComparison.Ordinal)).Take(10)));
        file = Directory.GetFiles(app.Directory, $"*-{mailId:N}.eml").Single();

        var message = await MimeKit.MimeMessage.LoadAsync(file);
        message.To.Mailboxes.Single().Address.ShouldBe("nobody.known@example.com");
        message.Subject.ShouldBe("Your stores on CustomerInfo");
        FakeSmtpServer.Links(message).ShouldBe([link]);
        Directory.GetFiles(app.Directory).ShouldAllBe(f => f.EndsWith(".eml", StringComparison.Ordinal));
        await MailJobs.EventuallyAsync(async () => await app.QueuedAsync(mailId) is null, "the written mail is deleted from the database");
    }
}

public class UnreachableMailServerTests(UnreachableMailApp app) : IClassFixture<UnreachableMailApp>
{
    [Fact]
    public async Task When_the_mail_server_refuses_the_connection_the_job_fails_for_a_retry_and_the_mail_is_kept()
    {
        var mailId = await app.QueueAsync(AccountMails.ConfirmEmail("unreachable.user@example.com", "en", "Acme", new Uri("http://acme.localhost/c")));
        var job = (await app.JobsForAsync(mailId)).ShouldHaveSingleItem();

        await MailJobs.EventuallyAsync(async () => await app.LastStateAsync(job.Id) == "Scheduled", "the failed job waits for its retry");

        (await app.StatesAsync(job.Id)).ShouldContain("Failed");
        (await app.QueuedAsync(mailId)).ShouldNotBeNull();
        (await DatabaseSearch.FindAsync(app.Database.ConnectionString, "ConnectionRefused")).ShouldContain(p => p.StartsWith("hangfire.state.", StringComparison.Ordinal));
        (await DatabaseSearch.FindAsync(app.Database.ConnectionString, "unreachable.user@example.com"))
            .ShouldAllBe(place => place.StartsWith("customerinfo.mt_doc_queuedmail.", StringComparison.Ordinal));
    }
}
