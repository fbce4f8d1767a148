using CustomerInfo.Application.Owner.SignInOwner;

namespace CustomerInfo.Web.Security;

/// <summary>
/// <c>CustomerInfo.Web.dll hash-password</c>: reads a password from standard input and prints the
/// value for <c>Owner:PasswordHash</c>, so the password itself never goes into configuration.
/// </summary>
public static class PasswordHashCommand
{
    public const string Name = "hash-password";

    public static async Task<int> RunAsync(TextReader input, TextWriter output, TextWriter error)
    {
        var password = await input.ReadLineAsync();
        if (string.IsNullOrEmpty(password))
        {
            await error.WriteLineAsync("Type the password on standard input, e.g. echo -n 'secret' | dotnet CustomerInfo.Web.dll hash-password");
            return 2;
        }

        await output.WriteLineAsync(OwnerPasswords.Hash(password));
        return 0;
    }
}
