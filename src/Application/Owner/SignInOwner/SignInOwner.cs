using CustomerInfo.Application.Accounts;
using CustomerInfo.Application.Common.Security;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Application.Owner.SignInOwner;

[Anyone]
public sealed record SignInOwnerCommand(string? Email, string? Password) : ICommand<SignInOwnerResult>;

public sealed record SignInOwnerResult(bool Succeeded, string? Email, DateTimeOffset? LockedUntil = null)
{
    public static readonly SignInOwnerResult Failed = new(false, null);
}

public sealed class SignInOwnerValidator : AbstractValidator<SignInOwnerCommand>
{
    public SignInOwnerValidator()
    {
        RuleFor(c => c.Email).NotEmpty().WithMessage("Enter your email address.").MaximumLength(254);
        RuleFor(c => c.Password).NotEmpty().WithMessage("Enter your password.").MaximumLength(512);
    }
}

public sealed class SignInOwnerHandler(IOptionsMonitor<OwnerOptions> options, OwnerPasswords passwords, AccountThrottle throttle)
    : ICommandHandler<SignInOwnerCommand, SignInOwnerResult>
{
    /// <summary>One key for the one owner account, whatever address is typed: guesses at it are counted together.</summary>
    private static readonly string ThrottleKey = AccountThrottle.KeyFor("owner", "platform-owner");

    public async ValueTask<SignInOwnerResult> Handle(SignInOwnerCommand command, CancellationToken cancellationToken)
    {
        if (await throttle.LockedUntilAsync(ThrottleKey, cancellationToken) is { } lockedUntil)
        {
            return SignInOwnerResult.Failed with { LockedUntil = lockedUntil };
        }

        var owner = options.CurrentValue;
        var hash = passwords.HashFor(owner);

        // Verify even when the email is wrong, so the answer takes as long either way.
        var passwordMatches = hash is not null && OwnerPasswords.Verify(hash, command.Password!);
        var emailMatches = string.Equals(owner.Email?.Trim(), command.Email!.Trim(), StringComparison.OrdinalIgnoreCase);
        if (passwordMatches && emailMatches)
        {
            await throttle.SucceededAsync(ThrottleKey, cancellationToken);
            return new SignInOwnerResult(true, owner.Email!.Trim());
        }

        return SignInOwnerResult.Failed with { LockedUntil = await throttle.FailedAsync(ThrottleKey, cancellationToken) };
    }
}

/// <summary>PBKDF2 hashing of the owner's password (ASP.NET Core Identity's format).</summary>
public sealed class OwnerPasswords(IHostEnvironment environment)
{
    private static readonly PasswordHasher<OwnerOptions> Hasher = new();
    private HashedPlainPassword? hashedPlain;

    public static string Hash(string password) => Hasher.HashPassword(new OwnerOptions(), password);

    public static bool Verify(string hash, string password) =>
        Hasher.VerifyHashedPassword(new OwnerOptions(), hash, password) != PasswordVerificationResult.Failed;

    /// <summary>The configured hash; or, outside Production, a hash of the configured plain password.</summary>
    public string? HashFor(OwnerOptions owner)
    {
        if (!string.IsNullOrWhiteSpace(owner.PasswordHash))
        {
            return owner.PasswordHash;
        }

        var plain = owner.Password;
        if (string.IsNullOrEmpty(plain) || environment.IsProduction())
        {
            return null;
        }

        var cached = hashedPlain;
        if (cached is null || !string.Equals(cached.Plain, plain, StringComparison.Ordinal))
        {
            cached = new HashedPlainPassword(plain, Hash(plain));
            hashedPlain = cached;
        }

        return cached.Hash;
    }

    private sealed record HashedPlainPassword(string Plain, string Hash);
}
