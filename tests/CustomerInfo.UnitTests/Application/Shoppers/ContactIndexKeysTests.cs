using CustomerInfo.Application.Shoppers;
using CustomerInfo.Domain.SignUps;
using Microsoft.Extensions.Options;

namespace CustomerInfo.UnitTests.Application.Shoppers;

public class ContactIndexKeysTests
{
    private static readonly ContactIndexKeys Keys = new(Options.Create(new PersonalDataOptions { IndexKey = PersonalDataOptions.DevelopmentIndexKey }));
    private static readonly Guid Acme = Guid.NewGuid();
    private static readonly Guid Bravo = Guid.NewGuid();

    [Fact]
    public void An_index_id_keeps_the_kind_of_key_but_never_the_address_or_number()
    {
        var ids = Keys.For(Acme, new Shopper("Ann", null, " Ann@Example.com ", "+31612345678", null, null));

        ids.Count.ShouldBe(2);
        ids[0].ShouldStartWith("email:");
        ids[1].ShouldStartWith("phone:");
        ids.ShouldAllBe(id => !id.Contains('@') && !id.Contains('+') && !id.Contains("example") && !id.Contains("612345678"));
        ids[0].ShouldBe(Keys.IdOf(Acme, "email:ann@example.com"), "the same address, however typed, is the same key");
    }

    [Fact]
    public void The_same_address_has_unrelated_ids_in_two_stores_and_with_another_secret()
    {
        var other = new ContactIndexKeys(Options.Create(new PersonalDataOptions { IndexKey = Convert.ToBase64String(new byte[32]) }));

        Keys.IdOf(Acme, "email:ann@example.com").ShouldNotBe(Keys.IdOf(Bravo, "email:ann@example.com"));
        Keys.IdOf(Acme, "email:ann@example.com").ShouldNotBe(other.IdOf(Acme, "email:ann@example.com"));
        Keys.IdOf(Acme, "email:ann@example.com").ShouldBe(Keys.IdOf(Acme, "email:ann@example.com"));
    }

    [Theory]
    [InlineData(null, "is not set")]
    [InlineData("  ", "is not set")]
    [InlineData("not base64!", "at least 32 random bytes")]
    [InlineData("c2hvcnQ=", "at least 32 random bytes")]
    public void A_missing_or_weak_secret_is_refused_with_the_reason(string? secret, string reason)
    {
        ContactIndexKeys.Problem(secret).ShouldNotBeNull().ShouldContain(reason);
        Should.Throw<InvalidOperationException>(() => new ContactIndexKeys(Options.Create(new PersonalDataOptions { IndexKey = secret })))
            .Message.ShouldContain(reason);
        ContactIndexKeys.Problem(PersonalDataOptions.DevelopmentIndexKey).ShouldBeNull();
    }
}
