using CustomerInfo.Application.Audit;
using CustomerInfo.Application.Audit.ListAuditLog;

namespace CustomerInfo.UnitTests.Application.Audit;

public class AuditLogFilterTests
{
    [Fact]
    public void A_cursor_reads_back_as_itself()
    {
        var cursor = new AuditCursor(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), 4711);

        AuditCursor.TryParse(cursor.Encode(), out var read).ShouldBeTrue();

        read.ShouldBe(cursor);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 at all!")]
    [InlineData("YTF8MTIzNDU2")]
    [InlineData("YjF8MTIzNDU2fDQ3")]
    [InlineData("YTF8LTF8NDc")]
    [InlineData("YTF8MTIzNDU2fDA")]
    public void Anything_else_is_no_cursor(string token)
    {
        AuditCursor.TryParse(token, out var cursor).ShouldBeFalse();
        cursor.ShouldBeNull();
        AuditCursor.TryParse(new string('a', 10_000), out _).ShouldBeFalse();
    }

    [Fact]
    public void A_person_is_a_member_the_platform_or_the_system()
    {
        var id = Guid.NewGuid();
        AuditLogFilter.TryPerson("member:" + id, out var actor).ShouldBeTrue();
        actor.ShouldBe("member:" + id);
        AuditLogFilter.TryPerson("platform", out actor).ShouldBeTrue();
        actor.ShouldBe("platform-owner");
        AuditLogFilter.TryPerson("system", out actor).ShouldBeTrue();
        actor.ShouldBe("system:");

        AuditLogFilter.TryPerson("member:nobody", out _).ShouldBeFalse();
        AuditLogFilter.TryPerson("member:" + id + "' or 1=1 --", out _).ShouldBeFalse();
        AuditLogFilter.TryPerson("platform-owner", out _).ShouldBeFalse();
        AuditLogFilter.TryPerson(new string('x', 10_000), out _).ShouldBeFalse();
    }

    [Fact]
    public void An_action_is_a_category_by_name_never_by_number()
    {
        AuditLogFilter.TryCategory("crm", out var category).ShouldBeTrue();
        category.ShouldBe(AuditCategory.Crm);
        AuditLogFilter.TryCategory("SignIns", out category).ShouldBeTrue();
        category.ShouldBe(AuditCategory.SignIns);
        AuditLogFilter.TryCategory("3", out _).ShouldBeFalse();
        AuditLogFilter.TryCategory("shoppers", out _).ShouldBeFalse();
    }

    [Fact]
    public void The_validator_says_what_is_wrong_with_each_value()
    {
        var validator = new ListAuditLogValidator();

        validator.Validate(new ListAuditLogQuery()).IsValid.ShouldBeTrue();
        validator.Validate(new ListAuditLogQuery("platform", "billing", "2026-01-01", "2026-01-31")).IsValid.ShouldBeTrue();

        Messages(validator, new ListAuditLogQuery(Person: "someone")).ShouldBe(["Choose a person from the list."]);
        Messages(validator, new ListAuditLogQuery(Action: new string('a', 10_000))).ShouldBe(["Choose an action from the list."]);
        Messages(validator, new ListAuditLogQuery(From: "31-01-2026")).ShouldBe(["Enter the first day as a date, like 2026-01-31."]);
        Messages(validator, new ListAuditLogQuery(To: "tomorrow")).ShouldBe(["Enter the last day as a date, like 2026-01-31."]);
        Messages(validator, new ListAuditLogQuery(From: "2026-02-01", To: "2026-01-01")).ShouldBe(["The last day can't be before the first day."]);
        Messages(validator, new ListAuditLogQuery(Before: "tampered")).ShouldBe(["This page of the log no longer exists. Start again from the newest entries."]);
    }

    private static List<string> Messages(ListAuditLogValidator validator, ListAuditLogQuery query) =>
        validator.Validate(query).Errors.Select(e => e.ErrorMessage).ToList();
}
