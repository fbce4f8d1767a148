using System.Diagnostics.CodeAnalysis;

namespace CustomerInfo.Domain.Tenants;

/// <summary>
/// The label a retailer is reached at: <c>{subdomain}.{root}</c>. Always lower-case,
/// a single DNS label of ASCII letters, digits and inner hyphens.
/// </summary>
public sealed record Subdomain
{
    public const int MinLength = 2;
    public const int MaxLength = 40;

    /// <summary>Labels the platform needs for itself, or that would confuse shoppers and mail.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
    {
        "www", "admin", "api", "app", "apps", "hangfire", "owner", "mail", "smtp", "imap", "pop", "email",
        "static", "assets", "cdn", "img", "images", "media", "files", "status", "health", "metrics",
        "help", "support", "docs", "blog", "billing", "pay", "payments", "stripe", "webhooks", "login",
        "signin", "signup", "register", "account", "accounts", "auth", "oauth", "sso", "dashboard",
        "console", "portal", "root", "system", "test", "dev", "staging", "demo-admin", "localhost",
        "customerinfo", "ns1", "ns2", "dns", "ftp", "vpn", "internal", "security", "abuse", "postmaster",
    };

    private Subdomain(string value) => Value = value;

    public string Value { get; }

    public override string ToString() => Value;

    /// <summary>Parses what a retailer or a Host header offers; the reason says what is wrong.</summary>
    public static bool TryParse(string? input, [NotNullWhen(true)] out Subdomain? subdomain, out string? reason)
    {
        subdomain = null;
        reason = Check(input);
        if (reason is not null)
        {
            return false;
        }

        subdomain = new Subdomain(input!.ToLowerInvariant());
        return true;
    }

    public static Subdomain Parse(string input) =>
        TryParse(input, out var subdomain, out var reason) ? subdomain : throw new FormatException(reason);

    private static string? Check(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return "Choose a subdomain.";
        }

        if (input.Length < MinLength || input.Length > MaxLength)
        {
            return $"A subdomain has {MinLength} to {MaxLength} characters.";
        }

        foreach (var c in input)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return "A subdomain may contain only letters a–z, digits and hyphens.";
            }
        }

        if (input[0] == '-' || input[^1] == '-')
        {
            return "A subdomain cannot start or end with a hyphen.";
        }

        // "xn--" and any other "??--" prefix are reserved by IDNA for encoded (punycode) labels.
        if (input.Length >= 4 && input[2] == '-' && input[3] == '-')
        {
            return "A subdomain cannot have two hyphens in the third and fourth place.";
        }

        if (Reserved.Contains(input.ToLowerInvariant()))
        {
            return "That subdomain is reserved. Choose another.";
        }

        return null;
    }
}
