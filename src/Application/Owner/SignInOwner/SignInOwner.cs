using CustomerInfo.Application.Accounts;
using CustomerInfo.Application.Accounts.TwoFactor;
using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using FluentValidation;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Application.Owner.SignInOwner;

/// <param name="Code">The code of the owner's authenticator app; needed when <see cref="OwnerOptions.TotpSecret"/> is set.</param>
[Anyone]
public sealed record SignInOwnerCommand(string? Email, string? Password, string? Code = null) : ICommand<SignInOwnerResult>;

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
        RuleFor(c => c.Code).MaximumLength(20).WithMessage("Enter the 6-digit code from your authenticator app.");
    }
}

public sealed class SignInOwnerHandler(IOptionsMonitor<OwnerOptions> options, OwnerPasswords passwords, AccountThrottle throttle, IDocumentStore store, IClock clock)
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
        // The code is checked whatever else was wrong, and a wrong one counts like a wrong password.
        var step = owner.RequiresTotp && OwnerOptions.TwoFactorKeyBytes(owner) is { } key ? Totp.Match(key, command.Code, clock.UtcNow) : null;
        var codeMatches = !owner.RequiresTotp || step is not null;
        if (passwordMatches && emailMatches && codeMatches && (step is null || await SpendAsync(step.Value, cancellationToken)))
        {
            await throttle.SucceededAsync(ThrottleKey, cancellationToken);
            return new SignInOwnerResult(true, owner.Email!.Trim());
        }

        return SignInOwnerResult.Failed with { LockedUntil = await throttle.FailedAsync(ThrottleKey, cancellationToken) };
    }

    /// <summary>Keeps the code's time step as spent: false when it already was (a code is good once, across pods).</summary>
    private async Task<bool> SpendAsync(long step, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        session.Insert(SignIns.SpentStep(OwnerAuthenticatorAccount, step));
        try
        {
            await session.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (Exception exception) when (PostgresErrors.IsUniqueViolation(exception) || exception is JasperFx.DocumentAlreadyExistsException)
        {
            return false;
        }
    }

    private const string OwnerAuthenticatorAccount = "platform-owner";
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
