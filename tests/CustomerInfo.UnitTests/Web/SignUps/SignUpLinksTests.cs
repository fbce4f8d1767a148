using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Web.Pages.Admin.SignUps;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace CustomerInfo.UnitTests.Web.SignUps;

public class SignUpLinksTests
{
    private static readonly IDataProtectionProvider Keys = new EphemeralDataProtectionProvider();
    private static readonly Guid Tenant = Guid.NewGuid();
    private static readonly SignUpCursor Cursor = new(new DateTimeOffset(2026, 3, 1, 9, 5, 7, 123, TimeSpan.FromHours(1)), Guid.NewGuid());
    private static readonly SignUpFilter Filter = new(From: new DateOnly(2026, 1, 1), StoreId: Guid.NewGuid(), EmailConsent: true, Search: "ann");

    [Fact]
    public void A_cursor_reads_back_as_the_row_it_was_made_of()
    {
        var token = SignUpLinks.ProtectCursor(Keys, Tenant, Cursor, Filter);

        var read = SignUpLinks.ReadCursor(Keys, Tenant, token, Filter).ShouldNotBeNull();
        read.Id.ShouldBe(Cursor.Id);
        read.ReceivedAt.ShouldBe(Cursor.ReceivedAt);
        token.ShouldNotContain(Cursor.Id.ToString("N"));
    }

    [Fact]
    public void A_cursor_with_any_character_changed_is_refused()
    {
        var token = SignUpLinks.ProtectCursor(Keys, Tenant, Cursor, Filter);
        for (var i = 0; i < token.Length; i++)
        {
            var changed = token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..];
            SignUpLinks.ReadCursor(Keys, Tenant, changed, Filter).ShouldBeNull($"changed at {i}");
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a cursor")]
    [InlineData("%%%")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Garbage_is_no_cursor(string token) => SignUpLinks.ReadCursor(Keys, Tenant, token, Filter).ShouldBeNull();

    [Fact]
    public void A_cursor_made_for_another_filter_or_store_is_refused()
    {
        var token = SignUpLinks.ProtectCursor(Keys, Tenant, Cursor, Filter);

        SignUpLinks.ReadCursor(Keys, Tenant, token, Filter with { Search = "bob" }).ShouldBeNull();
        SignUpLinks.ReadCursor(Keys, Tenant, token, Filter with { EmailConsent = false }).ShouldBeNull();
        SignUpLinks.ReadCursor(Keys, Tenant, token, SignUpFilter.None).ShouldBeNull();
        SignUpLinks.ReadCursor(Keys, Guid.NewGuid(), token, Filter).ShouldBeNull();
        SignUpLinks.ReadCursor(new EphemeralDataProtectionProvider(), Tenant, token, Filter).ShouldBeNull();
    }

    [Fact]
    public void A_well_signed_payload_of_the_wrong_shape_is_refused()
    {
        var protector = Keys.CreateProtector("CustomerInfo.Web.SignUps", "cursor", Tenant.ToString("N"));
        var shortPayload = WebEncoders.Base64UrlEncode(protector.Protect(new byte[10]));

        SignUpLinks.ReadCursor(Keys, Tenant, shortPayload, Filter).ShouldBeNull();
    }

    [Fact]
    public void The_search_is_unreadable_in_its_token_and_reads_back_only_in_its_store()
    {
        var token = SignUpLinks.ProtectSearch(Keys, Tenant, "ann@example.com");

        token.ShouldNotContain("ann");
        SignUpLinks.ReadSearch(Keys, Tenant, token).ShouldBe("ann@example.com");
        SignUpLinks.ReadSearch(Keys, Guid.NewGuid(), token).ShouldBeNull();
        SignUpLinks.ReadSearch(Keys, Tenant, token[..^2]).ShouldBeNull();
        SignUpLinks.ReadSearch(Keys, Tenant, "garbage!").ShouldBeNull();
    }

    [Fact]
    public void The_filter_reads_days_stores_and_consents_and_names_what_it_cannot_read()
    {
        var store = Guid.NewGuid();
        var (filter, errors) = new SignUpFilterInput("2026-03-01", " 2026-03-31 ", store.ToString(), "yes", "NO", " Import ").Read("  ann ");

        errors.ShouldBeEmpty();
        filter.ShouldBe(new SignUpFilter(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31), store, true, false, "  ann ", CustomerInfo.Domain.SignUps.SignUpSource.Import));
        SignUpFilterInput.Query(filter).ShouldBe(new Dictionary<string, string?> { ["from"] = "2026-03-01", ["to"] = "2026-03-31", ["store"] = store.ToString(), ["email"] = "yes", ["sms"] = "no", ["source"] = "import", ["push"] = null });

        var (_, bad) = new SignUpFilterInput("yesterday", "31-03-2026", "the big one", "maybe", "1", "spreadsheet").Read(null);
        bad.ShouldBe([("from", "NotADate"), ("to", "NotADate"), ("store", "NotAStore"), ("email", "NotAConsentChoice"), ("sms", "NotAConsentChoice"), ("source", "NotASource")]);
        new SignUpFilterInput(null, "", null, " ", null).Read(" ").Filter.ShouldBe(SignUpFilter.None);
        new SignUpFilterInput(null, null, Guid.Empty.ToString(), null, null).Read(null).Errors.Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("failed", CrmPushStatus.Failed)]
    [InlineData(" Retrying ", CrmPushStatus.Retrying)]
    [InlineData("waiting", CrmPushStatus.Waiting)]
    [InlineData("pushed", CrmPushStatus.Pushed)]
    [InlineData("NOT-SENT", CrmPushStatus.NotSent)]
    public void A_push_status_is_read_from_its_word_and_written_back_as_it(string word, CrmPushStatus status)
    {
        var (filter, errors) = new SignUpFilterInput(null, null, null, null, null, Push: word).Read(null);

        errors.ShouldBeEmpty();
        filter.ShouldBe(new SignUpFilter(CrmStatus: status));
        SignUpFilterInput.Query(filter)["push"].ShouldBe(word.Trim().ToLowerInvariant());
        filter.DescribeWithoutSearch().ShouldBe("push status " + status.ToString().ToLowerInvariant());
    }

    [Theory]
    [InlineData("3")]
    [InlineData("sent")]
    [InlineData("notsent")]
    public void A_push_status_that_is_not_one_is_named_on_its_field(string word) =>
        new SignUpFilterInput(null, null, null, null, null, Push: word).Read(null).Errors.ShouldBe([("push", "NotAPushStatus")]);

    [Fact]
    public void A_filter_without_a_push_status_keeps_the_fingerprint_it_had_before_the_status_existed_so_old_links_still_read() =>
        new SignUpFilter(Source: CustomerInfo.Domain.SignUps.SignUpSource.Kiosk).Fingerprint().ShouldBe("||||||Kiosk");
}
