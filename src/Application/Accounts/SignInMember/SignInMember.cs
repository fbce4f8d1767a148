using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Accounts;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Identity;

namespace CustomerInfo.Application.Accounts.SignInMember;

/// <summary>Checks a team member's password on their store's host. The page makes the session.</summary>
[Anyone]
public sealed record SignInMemberCommand(string? Email, string? Password) : ICommand<SignInMemberResult>;

public enum SignInOutcome
{
    SignedIn,
    WrongCredentials,
    LockedOut,
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

public sealed class SignInMemberHandler(UserManager<TeamMember> members)
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

        if (member.AccessFailedCount > 0)
        {
            await members.ResetAccessFailedCountAsync(member);
        }

        return new SignInMemberResult(SignInOutcome.SignedIn, member);
    }
}
