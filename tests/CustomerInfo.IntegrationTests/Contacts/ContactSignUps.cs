using CustomerInfo.Application.Contacts.LinkSignUpToContact;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.TestSupport;

namespace CustomerInfo.IntegrationTests.Contacts;

/// <summary>Shoppers signing up and being linked to a contact, as the contact tests need them.</summary>
internal static class ContactSignUps
{
    public static SubmitSignUpCommand SignUp(string? email, string? phone = null, string? firstName = "Ann", string? lastName = null, bool emailConsent = false, bool smsConsent = false) => new()
    {
        SubmissionId = Guid.NewGuid(),
        FirstName = firstName,
        LastName = lastName,
        Email = email,
        Phone = phone,
        EmailConsent = emailConsent,
        SmsConsent = smsConsent,
    };

    /// <summary>Stores the sign-up in <paramref name="store"/> and links it at once, without waiting for the daemon.</summary>
    public static async Task<(Guid SignUpId, LinkSignUpToContactResult Link)> SignUpAndLinkAsync(this AppFactory app, string store, SubmitSignUpCommand command)
    {
        var result = await app.SendAsync(store, command);
        result.AlreadyReceived.ShouldBeFalse();
        return (result.SignUpId, await app.SendAsync(store, new LinkSignUpToContactCommand(result.SignUpId)));
    }
}
