using System.Collections.Frozen;
using CustomerInfo.Domain.Accounts;
using Microsoft.AspNetCore.Identity;

namespace CustomerInfo.Application.Accounts;

/// <summary>
/// What a retailer's password must be: at least 10 characters and not one of the 10,000 most common
/// passwords. No composition rules (NIST SP 800-63B): they make passwords harder to remember, not to guess.
/// </summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 10;

    /// <summary>Long enough for any passphrase; bounds the work of hashing what a stranger sends.</summary>
    public const int MaximumLength = 256;

    public const string TooShort = "Use at least 10 characters.";
    public const string TooLong = "Keep the password to 256 characters.";
    public const string TooCommon = "That password is one of the most common ones, so it is easy to guess. Choose another.";
    public const string Missing = "Choose a password.";

    private static readonly Lazy<FrozenSet<string>> Common = new(LoadCommonPasswords);

    /// <summary>Why the password is refused, or null when it is fine.</summary>
    public static string? Problem(string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return Missing;
        }

        // Counted in text elements, so a password of emoji is measured as a person sees it.
        var length = new System.Globalization.StringInfo(password).LengthInTextElements;
        if (length < MinimumLength)
        {
            return TooShort;
        }

        if (password.Length > MaximumLength)
        {
            return TooLong;
        }

        return Common.Value.Contains(password.ToLowerInvariant()) ? TooCommon : null;
    }

    private static FrozenSet<string> LoadCommonPasswords()
    {
        using var stream = typeof(PasswordPolicy).Assembly.GetManifestResourceStream("CustomerInfo.Application.Accounts.CommonPasswords.txt")
            ?? throw new InvalidOperationException("The common-password list is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        var passwords = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                passwords.Add(line.ToLowerInvariant());
            }
        }

        return passwords.ToFrozenSet(StringComparer.Ordinal);
    }
}

/// <summary>The policy as Identity's password validator, so every path that sets a password uses it.</summary>
public sealed class PasswordPolicyValidator : IPasswordValidator<TeamMember>
{
    public Task<IdentityResult> ValidateAsync(UserManager<TeamMember> manager, TeamMember user, string? password) =>
        Task.FromResult(PasswordPolicy.Problem(password) is { } problem
            ? IdentityResult.Failed(new IdentityError { Code = "PasswordPolicy", Description = problem })
            : IdentityResult.Success);
}
