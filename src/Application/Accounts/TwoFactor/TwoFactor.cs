using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Tenants;
using FluentValidation;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Identity;

namespace CustomerInfo.Application.Accounts.TwoFactor;

/// <summary>A member's own two-factor settings, as the account security page shows them.</summary>
/// <param name="SetupKey">While two-factor sign-in is off: the key (base32) the app is to be set up with.</param>
/// <param name="RequiredOfMe">The team requires it of Owners and the member is one: it cannot be turned off.</param>
public sealed record AccountSecurity(bool Enabled, string? SetupKey, int RecoveryCodesLeft, bool RequiredOfMe, string Email);

/// <summary>The signed-in member's two-factor settings; while it is off, gives them a key to set up (kept until used).</summary>
[RequiresRole(TeamRole.Staff)]
public sealed record GetAccountSecurityCommand : ICommand<AccountSecurity>;

public enum TwoFactorOutcome
{
    Done,
    WrongCode,
    NotEnabled,
    AlreadyEnabled,

    /// <summary>The team requires two-factor sign-in of Owners: an Owner cannot turn it off.</summary>
    RequiredForOwners,
}

/// <param name="RecoveryCodes">When done: the new recovery codes, to show once.</param>
/// <param name="Member">When done: the member as now stored (a new security stamp: the page renews its own session).</param>
public sealed record TwoFactorChange(TwoFactorOutcome Outcome, IReadOnlyList<string>? RecoveryCodes = null, TeamMember? Member = null);

/// <summary>Turns two-factor sign-in on with the first code the app shows; gives the recovery codes.</summary>
[RequiresRole(TeamRole.Staff)]
public sealed record EnableTwoFactorCommand(string? Code) : ICommand<TwoFactorChange>;

/// <summary>Turns it off, given a current code or the password.</summary>
[RequiresRole(TeamRole.Staff)]
public sealed record DisableTwoFactorCommand(string? CodeOrPassword) : ICommand<TwoFactorChange>;

/// <summary>A new set of recovery codes; the old ones stop working.</summary>
[RequiresRole(TeamRole.Staff)]
public sealed record RenewRecoveryCodesCommand : ICommand<TwoFactorChange>;

/// <summary>The team's rule (Owners only): whether Owners must use two-factor sign-in.</summary>
[RequiresRole(TeamRole.Owner)]
public sealed record SetTwoFactorRequirementCommand(bool OwnersMustUseTwoFactor) : ICommand<TenantChange>;

public sealed class EnableTwoFactorValidator : AbstractValidator<EnableTwoFactorCommand>
{
    public EnableTwoFactorValidator() =>
        RuleFor(c => c.Code).Must(code => Totp.Normalize(code) is not null).WithMessage("Enter the 6-digit code from your authenticator app.");
}

public sealed class DisableTwoFactorValidator : AbstractValidator<DisableTwoFactorCommand>
{
    public DisableTwoFactorValidator() =>
        RuleFor(c => c.CodeOrPassword).NotEmpty().WithMessage("Enter a code from your authenticator app, or your password.")
            .MaximumLength(PasswordPolicy.MaximumLength).WithMessage(PasswordPolicy.TooLong);
}

/// <summary>The member the request acts as, through Identity's user manager.</summary>
public sealed class CurrentMember(UserManager<TeamMember> members, ActorContext actors)
{
    public async Task<TeamMember> LoadAsync() =>
        await members.FindByIdAsync(actors.Current.MemberId!.Value.ToString())
        ?? throw new AccessDeniedException(nameof(CurrentMember), actors.Current.Kind, otherTenant: false);
}

public sealed class GetAccountSecurityHandler(
    UserManager<TeamMember> members, IUserAuthenticatorKeyStore<TeamMember> keys, CurrentMember current, ITenantContext tenant)
    : ICommandHandler<GetAccountSecurityCommand, AccountSecurity>
{
    public async ValueTask<AccountSecurity> Handle(GetAccountSecurityCommand command, CancellationToken cancellationToken)
    {
        var member = await current.LoadAsync();
        var required = member.Role == TeamRole.Owner && tenant.RequiredTenant.OwnersMustUseTwoFactor;
        if (member.TwoFactorEnabled)
        {
            return new AccountSecurity(true, null, member.RecoveryCodeHashes.Count, required, member.Email);
        }

        var key = await members.GetAuthenticatorKeyAsync(member);
        if (string.IsNullOrEmpty(key))
        {
            // Not UserManager.ResetAuthenticatorKeyAsync: that renews the security stamp, which would end this session.
            key = members.GenerateNewAuthenticatorKey();
            await keys.SetAuthenticatorKeyAsync(member, key, cancellationToken);
            await members.UpdateAsync(member);
        }

        return new AccountSecurity(false, key, 0, required, member.Email);
    }
}

public sealed class EnableTwoFactorHandler(UserManager<TeamMember> members, IDocumentSession session, CurrentMember current, IClock clock)
    : ICommandHandler<EnableTwoFactorCommand, TwoFactorChange>
{
    public async ValueTask<TwoFactorChange> Handle(EnableTwoFactorCommand command, CancellationToken cancellationToken)
    {
        var member = await current.LoadAsync();
        if (member.TwoFactorEnabled)
        {
            return new TwoFactorChange(TwoFactorOutcome.AlreadyEnabled);
        }

        if (!await members.VerifyTwoFactorTokenAsync(member, TokenOptions.DefaultAuthenticatorProvider, command.Code!))
        {
            return new TwoFactorChange(TwoFactorOutcome.WrongCode);
        }

        // Codes first (hashed by the store), so two-factor sign-in is never on without them.
        var codes = (await members.GenerateNewTwoFactorRecoveryCodesAsync(member, RecoveryCodes.Count))!.ToList();
        session.Insert(SignIns.SpentStep(member.Id.ToString(), member.LastAuthenticatorStep!.Value));
        session.Events.Append(member.Id, new MemberTwoFactorEnabled(member.Id, clock.UtcNow));
        var result = await members.SetTwoFactorEnabledAsync(member, true);
        return result.Succeeded
            ? new TwoFactorChange(TwoFactorOutcome.Done, codes, member)
            : new TwoFactorChange(TwoFactorOutcome.WrongCode);
    }
}

public sealed class DisableTwoFactorHandler(UserManager<TeamMember> members, IDocumentSession session, CurrentMember current, ITenantContext tenant, IClock clock)
    : ICommandHandler<DisableTwoFactorCommand, TwoFactorChange>
{
    public async ValueTask<TwoFactorChange> Handle(DisableTwoFactorCommand command, CancellationToken cancellationToken)
    {
        var member = await current.LoadAsync();
        if (!member.TwoFactorEnabled)
        {
            return new TwoFactorChange(TwoFactorOutcome.NotEnabled);
        }

        if (member.Role == TeamRole.Owner && tenant.RequiredTenant.OwnersMustUseTwoFactor)
        {
            return new TwoFactorChange(TwoFactorOutcome.RequiredForOwners);
        }

        if (await members.IsLockedOutAsync(member))
        {
            return new TwoFactorChange(TwoFactorOutcome.WrongCode);
        }

        var proof = command.CodeOrPassword!.Trim();
        var proven = Totp.Normalize(proof) is not null
            ? await members.VerifyTwoFactorTokenAsync(member, TokenOptions.DefaultAuthenticatorProvider, proof)
            : await members.CheckPasswordAsync(member, command.CodeOrPassword);
        if (!proven)
        {
            // Counted as a wrong sign-in: a borrowed session cannot guess its way to turning it off.
            await members.AccessFailedAsync(member);
            return new TwoFactorChange(TwoFactorOutcome.WrongCode);
        }

        member.AuthenticatorKey = null;
        member.RecoveryCodeHashes = [];
        session.Events.Append(member.Id, new MemberTwoFactorDisabled(member.Id, clock.UtcNow));
        var result = await members.SetTwoFactorEnabledAsync(member, false);
        return result.Succeeded ? new TwoFactorChange(TwoFactorOutcome.Done, Member: member) : new TwoFactorChange(TwoFactorOutcome.WrongCode);
    }
}

public sealed class RenewRecoveryCodesHandler(UserManager<TeamMember> members, IDocumentSession session, CurrentMember current, IClock clock)
    : ICommandHandler<RenewRecoveryCodesCommand, TwoFactorChange>
{
    public async ValueTask<TwoFactorChange> Handle(RenewRecoveryCodesCommand command, CancellationToken cancellationToken)
    {
        var member = await current.LoadAsync();
        if (!member.TwoFactorEnabled)
        {
            return new TwoFactorChange(TwoFactorOutcome.NotEnabled);
        }

        session.Events.Append(member.Id, new MemberRecoveryCodesRenewed(member.Id, clock.UtcNow));
        var codes = await members.GenerateNewTwoFactorRecoveryCodesAsync(member, RecoveryCodes.Count);
        return new TwoFactorChange(TwoFactorOutcome.Done, codes!.ToList(), member);
    }
}

public sealed class SetTwoFactorRequirementHandler(TenantFacts facts, ITenantContext tenant, IClock clock)
    : ICommandHandler<SetTwoFactorRequirementCommand, TenantChange>
{
    public ValueTask<TenantChange> Handle(SetTwoFactorRequirementCommand command, CancellationToken cancellationToken) =>
        new(facts.RecordAsync(tenant.RequiredTenant.Id, new TenantFact.SetTwoFactorRequirement(command.OwnersMustUseTwoFactor, clock.UtcNow), cancellationToken));
}
