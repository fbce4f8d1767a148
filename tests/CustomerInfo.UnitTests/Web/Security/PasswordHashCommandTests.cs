using CustomerInfo.Application.Owner.SignInOwner;
using CustomerInfo.Web.Security;

namespace CustomerInfo.UnitTests.Web.Security;

public class PasswordHashCommandTests
{
    [Fact]
    public async Task The_printed_hash_verifies_the_password_and_never_contains_it()
    {
        var output = new StringWriter();
        var exit = await PasswordHashCommand.RunAsync(new StringReader("s3cret pass\n"), output, new StringWriter());

        exit.ShouldBe(0);
        var hash = output.ToString().Trim();
        hash.ShouldNotContain("s3cret");
        OwnerPasswords.Verify(hash, "s3cret pass").ShouldBeTrue();
        OwnerPasswords.Verify(hash, "other").ShouldBeFalse();
    }

    [Fact]
    public async Task Without_a_password_it_explains_how_and_fails()
    {
        var error = new StringWriter();
        (await PasswordHashCommand.RunAsync(new StringReader(""), new StringWriter(), error)).ShouldBe(2);
        error.ToString().ShouldContain("standard input");
    }
}
