using CustomerInfo.Application.Shoppers.EraseShopper;
using CustomerInfo.Application.SignUps.ExportSignUps;
using CustomerInfo.Application.SignUps.GetSignUp;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Stores;
using CustomerInfo.IntegrationTests.Contacts;
using CustomerInfo.TestSupport;
using FluentValidation;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static CustomerInfo.IntegrationTests.Shoppers.Shoppers;

namespace CustomerInfo.IntegrationTests.SignUps;

/// <summary>The list's filters, search and pages against the real read model, and a sign-up's detail and export rows.</summary>
public class ListSignUpsTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private readonly Dictionary<string, Guid> tenants = [];

    private static readonly Guid Utrecht = Guid.NewGuid();
    private static readonly Guid London = Guid.NewGuid();

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        tenants["demo"] = await app.AddStoreAsync("demo");
        tenants["other"] = await app.AddStoreAsync("other");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private IDocumentStore Store => app.Services.GetRequiredService<IDocumentStore>();

    [Fact]
    public async Task Email_and_phone_match_exactly_as_the_kiosk_normalised_them_and_names_by_their_start()
    {
        var (quintessa, _) = await app.SignUpAndLinkAsync("demo", Quintessa(email: "Quintessa.Vandermolen@EXAMPLE.com", phone: "06 12345678"));
        var (bart, _) = await app.SignUpAndLinkAsync("demo", Bartholomeus());
        await app.SignUpAndLinkAsync("other", Quintessa());

        async Task<IReadOnlyList<Guid>> Found(string search) =>
            (await app.SendAsync("demo", new ListSignUpsQuery(Filter: new SignUpFilter(Search: search)))).Items.Select(s => s.Id).ToList();

        (await Found("quintessa.vandermolen@example.com")).ShouldBe([quintessa]);
        (await Found("  QUINTESSA.VANDERMOLEN@example.COM\u200B ")).ShouldBe([quintessa]);
        (await Found("quintessa.vandermolen@example.co")).ShouldBeEmpty("an address matches whole, never by its start");
        (await Found("+31 6 1234 5678")).ShouldBe([quintessa]);
        (await Found("0612345678")).ShouldBe([quintessa]);
        (await Found("061234567")).ShouldBeEmpty();
        (await Found("quin")).ShouldBe([quintessa]);
        (await Found("VANDER")).ShouldBe([quintessa], "last names too, case aside");
        (await Found("bart")).ShouldBe([bart]);
        (await Found("molen")).ShouldBeEmpty("a name matches by its start only");
        (await Found("%")).ShouldBeEmpty("a wildcard is a letter to look for");
        (await Found("_uintessa")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Filters_by_day_in_the_retailers_time_zone_by_store_and_by_consent()
    {
        await AddStoreAsync("demo", Utrecht, "Utrecht", "Europe/Amsterdam", 1);
        await AddStoreAsync("demo", London, "London", "Europe/London", 2);
        // 23:30 UTC on 31 March is 1 April in Amsterdam, the retailer's zone (its first store's).
        var lateMarch = await AppendAsync("demo", new DateTimeOffset(2026, 3, 31, 23, 30, 0, TimeSpan.Zero), Utrecht, email: true, sms: false);
        var earlyApril = await AppendAsync("demo", new DateTimeOffset(2026, 4, 1, 10, 0, 0, TimeSpan.Zero), London, email: false, sms: true);
        var march = await AppendAsync("demo", new DateTimeOffset(2026, 3, 15, 12, 0, 0, TimeSpan.Zero), null, email: true, sms: true);
        await AppendAsync("other", new DateTimeOffset(2026, 4, 1, 10, 0, 0, TimeSpan.Zero), null, email: true, sms: true);

        async Task<IReadOnlyList<Guid>> Found(SignUpFilter filter) => (await app.SendAsync("demo", new ListSignUpsQuery(Filter: filter))).Items.Select(s => s.Id).ToList();

        (await Found(SignUpFilter.None)).ShouldBe([earlyApril, lateMarch, march]);
        (await Found(new SignUpFilter(From: new DateOnly(2026, 4, 1), To: new DateOnly(2026, 4, 1)))).ShouldBe([earlyApril, lateMarch]);
        (await Found(new SignUpFilter(To: new DateOnly(2026, 3, 31)))).ShouldBe([march]);
        (await Found(new SignUpFilter(From: new DateOnly(2026, 3, 15), To: new DateOnly(2026, 3, 15)))).ShouldBe([march]);
        (await Found(new SignUpFilter(StoreId: London))).ShouldBe([earlyApril]);
        (await Found(new SignUpFilter(StoreId: Guid.NewGuid()))).ShouldBeEmpty();
        (await Found(new SignUpFilter(EmailConsent: true))).ShouldBe([lateMarch, march]);
        (await Found(new SignUpFilter(EmailConsent: false))).ShouldBe([earlyApril]);
        (await Found(new SignUpFilter(SmsConsent: true, EmailConsent: true))).ShouldBe([march]);

        var page = await app.SendAsync("demo", new ListSignUpsQuery());
        page.TimeZone.Id.ShouldBe("Europe/Amsterdam");
        page.StoreName(page.Items[0]).ShouldBe("London");
        page.ZoneOf(page.Items[0]).Id.ShouldBe("Europe/London");
        page.ZoneOf(page.Items[2]).Id.ShouldBe("Europe/Amsterdam");
    }

    [Fact]
    public async Task Pages_follow_each_other_without_gaps_or_repeats_when_many_arrive_in_the_same_instant()
    {
        var at = new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
        var expected = new List<(DateTimeOffset At, Guid Id)>();
        for (var i = 0; i < 11; i++)
        {
            var when = i < 7 ? at : at.AddMinutes(-i);
            expected.Add((when, await AppendAsync("demo", when, null, email: false, sms: false)));
        }

        var seen = new List<Guid>();
        SignUpCursor? cursor = null;
        var pages = 0;
        do
        {
            var page = await app.SendAsync("demo", new ListSignUpsQuery(cursor, PageSize: 3));
            page.Items.Count.ShouldBeLessThanOrEqualTo(3);
            seen.AddRange(page.Items.Select(s => s.Id));
            cursor = page.Next;
            pages++;
        }
        while (cursor is not null);

        pages.ShouldBe(4);
        seen.ShouldBe(expected.OrderByDescending(e => e.At).ThenByDescending(e => e.Id.ToString(), StringComparer.Ordinal).Select(e => e.Id).ToList());
    }

    [Fact]
    public async Task A_search_of_ten_thousand_characters_is_refused_with_a_message()
    {
        var refused = await Should.ThrowAsync<ValidationException>(() => app.SendAsync("demo", new ListSignUpsQuery(Filter: new SignUpFilter(Search: new string('x', 10_000)))));
        refused.Errors.Single().ErrorMessage.ShouldBe("Search for at most 200 characters.");
    }

    [Fact]
    public async Task The_detail_words_the_answers_as_the_shopper_saw_them_and_tells_its_history_until_erased()
    {
        var (signUpId, link) = await app.SignUpAndLinkAsync("demo", Quintessa());
        var detail = (await app.SendAsync("demo", new GetSignUpQuery(signUpId))).ShouldNotBeNull();

        detail.Answers.Select(a => (a.Question, string.Join("|", a.Answer))).ShouldBe([("How did you hear of us?", "From a friend"), ("Anything we should know?", Note)]);
        detail.EmailConsent.ShouldNotBeNull().TextVersion.ShouldNotBeNullOrEmpty();
        detail.SmsConsent.ShouldNotBeNull();
        detail.History.Select(h => h.Kind).ShouldBe([SignUpHistoryKind.Submitted, SignUpHistoryKind.LinkedToContact]);
        detail.History[1].ContactId.ShouldBe(link.ContactId);
        detail.History[1].NewContact.ShouldBeTrue();
        (await app.SendAsync("other", new GetSignUpQuery(signUpId))).ShouldBeNull("another store's sign-up does not exist there");

        await app.SendAsync("demo", new EraseShopperCommand(link.ContactId!.Value, "platform-owner"));
        var erased = (await app.SendAsync("demo", new GetSignUpQuery(signUpId))).ShouldNotBeNull();
        erased.Erased.ShouldBeTrue();
        erased.Answers.ShouldBeEmpty();
        erased.History.Select(h => h.Kind).ShouldBe([SignUpHistoryKind.Submitted, SignUpHistoryKind.LinkedToContact, SignUpHistoryKind.Erased]);
        (erased.Summary.FirstName, erased.Summary.EmailKey, erased.Summary.FirstNameKey, erased.Summary.LastNameKey, erased.Summary.Birthday, erased.Summary.PostalCode, erased.Summary.Answers)
            .ShouldBe((null, null, null, null, null, null, null));
        (await app.SendAsync("demo", new ListSignUpsQuery(Filter: new SignUpFilter(Search: "quin")))).Items.ShouldBeEmpty("the erased shopper is not found by name any more");
    }

    [Fact]
    public async Task The_export_reads_every_row_in_batches_worded_by_the_latest_form_in_the_stores_time_zone()
    {
        await AddStoreAsync("demo", London, "London", "Europe/London", 1);
        var total = ExportSignUpsHandler.BatchSize + 7;
        await using (var session = Store.LightweightSession(tenants["demo"].ToString()))
        {
            var at = new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
            for (var i = 0; i < total; i++)
            {
                var shopper = new Shopper($"Shopper{i}", null, $"s{i}@example.com", null, new Birthday(2, 3, null), null);
                session.Events.StartStream(Guid.NewGuid(), new SignUpSubmitted(Guid.NewGuid(), 1, "en", null, at.AddMinutes(-i), at.AddMinutes(-i), shopper, [new("heard", ["friend", "ad"])], null, null, London));
            }

            await session.SaveChangesAsync();
        }

        var export = await app.SendAsync("demo", new ExportSignUpsQuery(SignUpFilter.None, "nl"));
        var rows = new List<SignUpExportRow>();
        await foreach (var row in export.Rows)
        {
            rows.Add(row);
        }

        export.Questions.ShouldBe(["Hoe hoorde je van ons?", "Moeten we iets weten?"]);
        rows.Count.ShouldBe(total);
        rows.Select(r => r.Email).Distinct().Count().ShouldBe(total);
        rows[0].Answers.ShouldBe(["Van een vriend; Een advertentie", ""]);
        rows[0].ShouldBe(new SignUpExportRow("Shopper0", null, "s0@example.com", null, "--03-02", null, rows[0].Answers, false, false, "London", "2026-06-01 09:00", "Europe/London"));
    }

    private async Task AddStoreAsync(string tenant, Guid storeId, string name, string zone, int day)
    {
        await using var session = Store.LightweightSession(tenants[tenant].ToString());
        session.Events.StartStream(storeId, new StoreAdded(storeId, name, zone, null, DateTimeOffset.UnixEpoch.AddDays(day)));
        await session.SaveChangesAsync();
    }

    private async Task<Guid> AppendAsync(string tenant, DateTimeOffset at, Guid? storeId, bool email, bool sms)
    {
        var id = Guid.NewGuid();
        await using var session = Store.LightweightSession(tenants[tenant].ToString());
        var shopper = new Shopper("Noor", null, $"{id:N}@example.com", null, null, null);
        ConsentProof? Proof(ConsentChannel channel, bool given) => given ? new ConsentProof(channel, "Yes", "v1", "en", at, null) : null;
        session.Events.StartStream(id, new SignUpSubmitted(id, 1, "en", null, at, at, shopper, [], Proof(ConsentChannel.Email, email), Proof(ConsentChannel.Sms, sms), storeId));
        await session.SaveChangesAsync();
        return id;
    }
}
