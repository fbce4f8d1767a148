using CustomerInfo.Domain.Accounts;

namespace CustomerInfo.UnitTests.Domain.Accounts;

public class TeamRulesTests
{
    [Theory]
    [InlineData(TeamRole.Owner, TeamRole.Owner, true)]
    [InlineData(TeamRole.Owner, TeamRole.Manager, true)]
    [InlineData(TeamRole.Owner, TeamRole.Staff, true)]
    [InlineData(TeamRole.Manager, TeamRole.Owner, false)]
    [InlineData(TeamRole.Manager, TeamRole.Manager, true)]
    [InlineData(TeamRole.Manager, TeamRole.Staff, true)]
    [InlineData(TeamRole.Staff, TeamRole.Owner, false)]
    [InlineData(TeamRole.Staff, TeamRole.Manager, false)]
    [InlineData(TeamRole.Staff, TeamRole.Staff, true)]
    public void Each_role_can_do_what_the_roles_below_it_can(TeamRole held, TeamRole required, bool granted) =>
        held.Grants(required).ShouldBe(granted);

    [Fact]
    public void A_role_that_is_not_defined_grants_nothing_and_is_granted_by_nothing()
    {
        ((TeamRole)99).Grants(TeamRole.Staff).ShouldBeFalse();
        TeamRole.Owner.Grants((TeamRole)0).ShouldBeFalse();
    }

    [Theory]
    [InlineData("Owner", TeamRole.Owner)]
    [InlineData(" manager ", TeamRole.Manager)]
    [InlineData("STAFF", TeamRole.Staff)]
    public void Roles_are_read_as_forms_and_claims_spell_them(string value, TeamRole expected)
    {
        TeamRoles.TryParse(value, out var role).ShouldBeTrue();
        role.ShouldBe(expected);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("3")]
    [InlineData("-1")]
    [InlineData("Admin")]
    [InlineData("Owner,Staff")]
    public void Anything_else_is_not_a_role(string? value) =>
        TeamRoles.TryParse(value, out _).ShouldBeFalse();

    [Theory]
    [InlineData(TeamRole.Owner, TeamRole.Manager)]
    [InlineData(TeamRole.Owner, TeamRole.Staff)]
    [InlineData(TeamRole.Owner, null)]
    public void The_last_owner_can_be_neither_demoted_nor_removed(TeamRole current, TeamRole? next) =>
        TeamRules.RefuseChange(current, next, ownerCount: 1).ShouldBe(TeamRules.LastOwnerRefusal);

    [Theory]
    [InlineData(TeamRole.Owner, TeamRole.Manager, 2)]
    [InlineData(TeamRole.Owner, null, 2)]
    [InlineData(TeamRole.Owner, TeamRole.Owner, 1)]
    [InlineData(TeamRole.Manager, null, 1)]
    [InlineData(TeamRole.Staff, TeamRole.Owner, 1)]
    [InlineData(TeamRole.Manager, TeamRole.Staff, 1)]
    public void Other_changes_are_allowed(TeamRole current, TeamRole? next, int owners) =>
        TeamRules.RefuseChange(current, next, owners).ShouldBeNull();

    [Fact]
    public void An_undefined_role_is_refused_with_the_roles_there_are() =>
        TeamRules.RefuseChange(TeamRole.Staff, (TeamRole)7, 1).ShouldBe("Choose Owner, Manager or Staff.");

    [Fact]
    public void An_invitation_is_open_until_it_expires_is_accepted_or_is_revoked()
    {
        var at = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        var invitation = new Invitation(Guid.NewGuid(), "a@b.test", "A@B.TEST", TeamRole.Staff, "hash", Guid.NewGuid(), at, at + Invitation.Lifetime);

        invitation.StateAt(at).ShouldBe(InvitationState.Open);
        invitation.StateAt(at.AddDays(7).AddSeconds(-1)).ShouldBe(InvitationState.Open);
        invitation.StateAt(at.AddDays(7)).ShouldBe(InvitationState.Expired);
        (invitation with { AcceptedAt = at.AddDays(1) }).StateAt(at.AddDays(8)).ShouldBe(InvitationState.Accepted);
        (invitation with { RevokedAt = at.AddDays(1) }).StateAt(at.AddDays(2)).ShouldBe(InvitationState.Revoked);
    }
}
