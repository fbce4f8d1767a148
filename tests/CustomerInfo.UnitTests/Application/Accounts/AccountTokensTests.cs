using CustomerInfo.Application.Accounts;
using CustomerInfo.Application.Common;
using CustomerInfo.Domain.Accounts;
using Microsoft.AspNetCore.DataProtection;

namespace CustomerInfo.UnitTests.Application.Accounts;

public class AccountTokensTests
{
    private static readonly Guid Tenant = Guid.NewGuid();
    private readonly MovableClock clock = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
    private readonly AccountTokens tokens;
    private readonly TeamMember member = new() { Id = Guid.NewGuid(), Email = "ann@acme.test", NormalizedEmail = "ANN@ACME.TEST", SecurityStamp = "stamp-1" };

    public AccountTokensTests() => tokens = new AccountTokens(new EphemeralDataProtectionProvider(), clock);

    [Theory]
    [InlineData(AccountTokenPurpose.ConfirmEmail)]
    [InlineData(AccountTokenPurpose.ResetPassword)]
    [InlineData(AccountTokenPurpose.SignInHandoff)]
    public void A_fresh_token_for_its_purpose_tenant_and_member_is_valid(AccountTokenPurpose purpose)
    {
        var token = tokens.Read(tokens.Issue(purpose, Tenant, member));

        AccountTokenRules.Check(token, purpose, Tenant, member, clock.UtcNow).ShouldBe(AccountTokenCheck.Valid);
        token!.MemberId.ShouldBe(member.Id);
    }

    [Theory]
    [InlineData(AccountTokenPurpose.ConfirmEmail, 3 * 24 * 60)]
    [InlineData(AccountTokenPurpose.ResetPassword, 60)]
    [InlineData(AccountTokenPurpose.SignInHandoff, 2)]
    public void A_token_expires_after_its_lifetime_to_the_second(AccountTokenPurpose purpose, int minutes)
    {
        var token = tokens.Read(tokens.Issue(purpose, Tenant, member));

        AccountTokenRules.Check(token, purpose, Tenant, member, clock.UtcNow.AddMinutes(minutes).AddSeconds(-1)).ShouldBe(AccountTokenCheck.Valid);
        AccountTokenRules.Check(token, purpose, Tenant, member, clock.UtcNow.AddMinutes(minutes)).ShouldBe(AccountTokenCheck.Expired);
    }

    [Fact]
    public void A_token_made_for_one_purpose_opens_no_other()
    {
        var token = tokens.Read(tokens.Issue(AccountTokenPurpose.ConfirmEmail, Tenant, member));

        AccountTokenRules.Check(token, AccountTokenPurpose.ResetPassword, Tenant, member, clock.UtcNow).ShouldBe(AccountTokenCheck.Invalid);
        AccountTokenRules.Check(token, AccountTokenPurpose.SignInHandoff, Tenant, member, clock.UtcNow).ShouldBe(AccountTokenCheck.Invalid);
    }

    [Fact]
    public void A_token_of_one_tenant_or_member_is_worth_nothing_for_another()
    {
        var token = tokens.Read(tokens.Issue(AccountTokenPurpose.ResetPassword, Tenant, member));
        var other = new TeamMember { Id = Guid.NewGuid(), SecurityStamp = member.SecurityStamp };

        AccountTokenRules.Check(token, AccountTokenPurpose.ResetPassword, Guid.NewGuid(), member, clock.UtcNow).ShouldBe(AccountTokenCheck.Invalid);
        AccountTokenRules.Check(token, AccountTokenPurpose.ResetPassword, Tenant, other, clock.UtcNow).ShouldBe(AccountTokenCheck.Invalid);
        AccountTokenRules.Check(token, AccountTokenPurpose.ResetPassword, Tenant, null, clock.UtcNow).ShouldBe(AccountTokenCheck.Invalid);
    }

    [Fact]
    public void A_reset_link_dies_when_the_password_changes()
    {
        var token = tokens.Read(tokens.Issue(AccountTokenPurpose.ResetPassword, Tenant, member));
        member.SecurityStamp = "stamp-2";

        AccountTokenRules.Check(token, AccountTokenPurpose.ResetPassword, Tenant, member, clock.UtcNow).ShouldBe(AccountTokenCheck.Used);
    }

    [Fact]
    public void A_confirmation_link_is_used_once_the_address_is_confirmed_and_dies_when_the_address_changes()
    {
        var token = tokens.Read(tokens.Issue(AccountTokenPurpose.ConfirmEmail, Tenant, member));

        member.NormalizedEmail = "ANN@ELSEWHERE.TEST";
        AccountTokenRules.Check(token, AccountTokenPurpose.ConfirmEmail, Tenant, member, clock.UtcNow).ShouldBe(AccountTokenCheck.Used);
        member.NormalizedEmail = "ANN@ACME.TEST";
        member.EmailConfirmed = true;
        AccountTokenRules.Check(token, AccountTokenPurpose.ConfirmEmail, Tenant, member, clock.UtcNow).ShouldBe(AccountTokenCheck.Used);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("%%%")]
    public void Forged_or_mangled_tokens_read_as_nothing(string? value)
    {
        tokens.Read(value).ShouldBeNull();
        AccountTokenRules.Check(tokens.Read(value), AccountTokenPurpose.ConfirmEmail, Tenant, member, clock.UtcNow).ShouldBe(AccountTokenCheck.Invalid);
    }

    [Fact]
    public void A_token_changed_by_one_character_reads_as_nothing()
    {
        var value = tokens.Issue(AccountTokenPurpose.ResetPassword, Tenant, member).ToCharArray();
        value[value.Length / 2] = value[value.Length / 2] == 'A' ? 'B' : 'A';

        tokens.Read(new string(value)).ShouldBeNull();
    }

    [Fact]
    public void A_token_signed_with_other_keys_reads_as_nothing()
    {
        var foreign = new AccountTokens(new EphemeralDataProtectionProvider(), clock).Issue(AccountTokenPurpose.ResetPassword, Tenant, member);

        tokens.Read(foreign).ShouldBeNull();
    }

    [Fact]
    public void A_very_long_value_is_not_even_decrypted() =>
        tokens.Read(new string('A', 5000)).ShouldBeNull();

    private sealed class MovableClock(DateTimeOffset now) : IClock
    {
        public DateTimeOffset UtcNow { get; } = now;
    }
}
