using CustomerInfo.Application.Contacts;
using CustomerInfo.Application.Contacts.ListContacts;

namespace CustomerInfo.UnitTests.Application.Contacts;

public class ContactListTests
{
    [Fact]
    public void A_cursor_reads_back_as_itself()
    {
        var cursor = new ContactCursor(new DateTimeOffset(2027, 3, 1, 9, 30, 15, 123, TimeSpan.Zero).AddTicks(4567), Guid.NewGuid());

        ContactCursor.TryParse(cursor.Encode(), out var read).ShouldBeTrue();

        read.ShouldBe(cursor);
        cursor.Encode().ShouldNotContain(cursor.Id.ToString("N")); // opaque to the browser
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("not base64!")]
    [InlineData("YzF8MTIzfG5vdC1hLWd1aWQ")] // c1|123|not-a-guid
    [InlineData("YzJ8MTIzfDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw")] // another version
    [InlineData("YzF8LTF8MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA")] // negative ticks
    [InlineData("YzF8OTk5OTk5OTk5OTk5OTk5OTk5OTl8MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA")] // past the end of time
    public void Anything_else_is_not_a_cursor(string? token)
    {
        ContactCursor.TryParse(token, out var cursor).ShouldBeFalse();
        cursor.ShouldBeNull();
    }

    [Fact]
    public void A_long_token_is_refused_unread() =>
        ContactCursor.TryParse(new string('A', 10_000), out _).ShouldBeFalse();

    [Theory]
    [InlineData("ann@example.com", ContactSearchKind.Email, "email:ann@example.com")]
    [InlineData("  Ann@EXAMPLE.com ", ContactSearchKind.Email, "email:ann@example.com")]
    [InlineData("06 12345678", ContactSearchKind.Phone, "phone:+31612345678")]
    [InlineData("+31 (0)6-1234 5678", ContactSearchKind.Phone, "phone:+31612345678")]
    [InlineData("Ann", ContactSearchKind.Name, "ann")]
    [InlineData("  Ann   de  Vries ", ContactSearchKind.Name, "ann de vries")]
    [InlineData("0612", ContactSearchKind.Name, "0612")]
    [InlineData("Zo\u200Bë", ContactSearchKind.Name, "zoë")]
    [InlineData("   ", ContactSearchKind.None, null)]
    [InlineData(null, ContactSearchKind.None, null)]
    public void A_search_is_an_exact_contact_key_or_the_start_of_a_name(string? search, ContactSearchKind kind, string? value) =>
        ContactSearch.Read(search, "NL").ShouldBe(new ContactSearchTerm(kind, value));

    [Fact]
    public void Invisible_control_characters_are_left_out_of_a_search_as_nothing_stored_has_them() =>
        ContactSearch.Read("ann@example.com\0", "NL").ShouldBe(ContactSearch.Read("ann@example.com", "NL"));

    [Fact]
    public void A_name_pattern_takes_the_wildcards_of_like_literally() =>
        ContactSearch.PrefixPattern(@"50%_off\").ShouldBe(@"50\%\_off\\%");
}
