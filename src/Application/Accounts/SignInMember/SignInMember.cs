using CustomerInfo.Application.Accounts.TwoFactor;
using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Accounts;
using FluentValidation;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Identity;

namespace CustomerInfo.Application.Accounts.SignInMember;

/// <summary>
/// Checks a team member's password on their store's host. The page makes the session, unless the
/// member uses two-factor sign-in: then the password only lets them on to the code step.
/// </summary>
[Anyone]
public sealed record SignInMemberCommand(string? Email, string? Password) : ICommand<SignInMemberResult>;

public enum SignInOutcome
{
    SignedIn,
    WrongCredentials,
    LockedOut,

    /// <summary>The password is right and the member uses two-factor sign-in: no session yet, the code comes next.</summary>
    SecondFactorRequired,

    /// <summary>At the code step: not the code of the app, nor an unused recovery code.</summary>
    WrongCode,
}

public sealed record SignInMemberResult(SignInOutcome Outcome, TeamMember? Member = null, DateTimeOffset? LockedUntil = null);

public sealed class SignInMemberValidator : AbstractValidator<SignInMemberCommand>
{
    public SignInMemberValidator()
    {
        RuleFor(c => c.Email).NotEmpty().WithMessage("Enter your email address.").MaximumLength(254).WithMessage("That is not an email address.");
        RuleFor(c => c.Password).NotEmpty().WithMessage("Enter your password.").MaximumLength(PasswordPolicy.MaximumLength).WithMessage(PasswordPolicy.TooLong);
    }
}

public sealed class SignInMemberHandler(UserManager<TeamMember> members, IDocumentSession session, ActorContext actors, ITenantContext tenant, IClock clock)
    : ICommandHandler<SignInMemberCommand, SignInMemberResult>
{
    /// <summary>A hash of nothing anyone knows: checked when the address is unknown, so both answers take as long.</summary>
    private static readonly Lazy<string> DecoyHash = new(() => new PasswordHasher<TeamMember>().HashPassword(new TeamMember(), Guid.NewGuid().ToString()));

    public async ValueTask<SignInMemberResult> Handle(SignInMemberCommand command, CancellationToken cancellationToken)
    {
        var member = await members.FindByEmailAsync(command.Email!.Trim());
        if (member is null)
        {
            members.PasswordHasher.VerifyHashedPassword(new TeamMember(), DecoyHash.Value, command.Password!);
            return new SignInMemberResult(SignInOutcome.WrongCredentials);
        }

        if (await members.IsLockedOutAsync(member))
        {
            return new SignInMemberResult(SignInOutcome.LockedOut, LockedUntil: member.LockoutEnd);
        }

        if (!await members.CheckPasswordAsync(member, command.Password!))
        {
            await members.AccessFailedAsync(member);
            return await members.IsLockedOutAsync(member)
                ? new SignInMemberResult(SignInOutcome.LockedOut, LockedUntil: member.LockoutEnd)
                : new SignInMemberResult(SignInOutcome.WrongCredentials);
        }

        if (member.TwoFactorEnabled)
        {
            // The failures count on until the code is right too: a password alone resets nothing.
            return new SignInMemberResult(SignInOutcome.SecondFactorRequired, member);
        }

        SignIns.Record(session, actors, tenant.RequiredTenant.Id, member, withSecondFactor: false, clock.UtcNow);
        member.AccessFailedCount = 0;
        await members.UpdateAsync(member);
        return new SignInMemberResult(SignInOutcome.SignedIn, member);
    }
}

/// <summary>
/// The code step of a two-factor sign-in: the member whose password was right (carried by the page in
/// a short-lived protected cookie, <paramref name="Attempt"/> its one-time id) gives a code from the
/// app or one of the recovery codes. Wrong codes count towards the lockout as wrong passwords do.
/// </summary>
[Anyone]
public sealed record VerifySecondFactorCommand(Guid MemberId, string? SecurityStamp, Guid Attempt, string? Code) : ICommand<SignInMemberResult>;

public sealed class VerifySecondFactorValidator : AbstractValidator<VerifySecondFactorCommand>
{
    public VerifySecondFactorValidator() =>
        RuleFor(c => c.Code).NotEmpty().WithMessage("Enter the 6-digit code from your authenticator app.")
            .MaximumLength(64).WithMessage("That is not a code from your app or a recovery code.");
}

public sealed class VerifySecondFactorHandler(UserManager<TeamMember> members, IDocumentSession session, ActorContext actors, ITenantContext tenant, IClock clock)
    : ICommandHandler<VerifySecondFactorCommand, SignInMemberResult>
{
    public async ValueTask<SignInMemberResult> Handle(VerifySecondFactorCommand command, CancellationToken cancellationToken)
    {
        var member = await members.FindByIdAsync(command.MemberId.ToString());
        // The password step is over when the credentials changed since, or this attempt was already used.
        if (member is null || !member.TwoFactorEnabled || !string.Equals(member.SecurityStamp, command.SecurityStamp, StringComparison.Ordinal)
            || await session.LoadAsync<SpentToken>(command.Attempt, cancellationToken) is not null)
        {
            return new SignInMemberResult(SignInOutcome.WrongCredentials);
        }

        if (await members.IsLockedOutAsync(member))
        {
            return new SignInMemberResult(SignInOutcome.LockedOut, LockedUntil: member.LockoutEnd);
        }

        var now = clock.UtcNow;
        var code = command.Code!.Trim();
        var isAppCode = Totp.Normalize(code) is not null;
        var right = isAppCode
            ? await members.VerifyTwoFactorTokenAsync(member, TokenOptions.DefaultAuthenticatorProvider, code)
            : RecoveryCodes.LooksLikeOne(code) && await members.RedeemTwoFactorRecoveryCodeAsync(member, code) is { Succeeded: true };
        if (!right)
        {
            await members.AccessFailedAsync(member);
            return await members.IsLockedOutAsync(member)
                ? new SignInMemberResult(SignInOutcome.LockedOut, LockedUntil: member.LockoutEnd)
                : new SignInMemberResult(SignInOutcome.WrongCode);
        }

        SignIns.Record(session, actors, tenant.RequiredTenant.Id, member, withSecondFactor: true, now);
        session.Insert(new SpentToken(command.Attempt, now.AddHours(1)));
        if (isAppCode)
        {
            session.Insert(SignIns.SpentStep(member.Id.ToString(), member.LastAuthenticatorStep!.Value));
        }
        else
        {
            session.Events.Append(member.Id, new MemberRecoveryCodeUsed(member.Id, member.RecoveryCodeHashes.Count, now));
        }

        // Saves the member (the step just used, the failures reset) with the events, or nothing:
        // the same code or attempt at the same moment in another request fails on its spent token.
        member.AccessFailedCount = 0;
        var saved = await members.UpdateAsync(member);
        return saved.Succeeded
            ? new SignInMemberResult(SignInOutcome.SignedIn, member)
            : new SignInMemberResult(SignInOutcome.WrongCode);
    }
}
