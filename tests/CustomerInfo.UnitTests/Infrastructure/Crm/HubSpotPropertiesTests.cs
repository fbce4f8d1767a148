using System.Text.Json;
using CustomerInfo.Application.Crm;
using CustomerInfo.Infrastructure.Crm.HubSpot;
using static CustomerInfo.TestSupport.Crm.CrmTestContacts;

namespace CustomerInfo.UnitTests.Infrastructure.Crm;

public class HubSpotPropertiesTests
{
    [Fact]
    public void Without_a_mapping_a_contact_gets_email_and_HubSpots_built_in_names()
    {
        var properties = HubSpotProperties.Of(Contact(" Ann@Example.com "), []);

        properties.ShouldBe(new Dictionary<string, string>
        {
            ["email"] = "ann@example.com",
            ["firstname"] = "Ann",
            ["lastname"] = "Peeters",
            ["phone"] = "+32470123456",
            ["zip"] = "9000",
        });
    }

    [Fact]
    public void A_mapping_decides_every_property_but_email()
    {
        var properties = HubSpotProperties.Of(
            Contact("ann@example.com", answers: [new("colours", "Colours", ["red", "blue"])], emailConsent: Given),
            [new(CrmSources.LastName, "family_name"), new(CrmSources.Question("colours"), "favourite_colours"), new(CrmSources.EmailConsent, "shop_consent"), new(CrmSources.FirstName, "email")]);

        properties.ShouldBe(new Dictionary<string, string>
        {
            ["email"] = "ann@example.com",
            ["family_name"] = "Peeters",
            ["favourite_colours"] = "red;blue",
            ["shop_consent"] = "true",
        });
    }

    [Fact]
    public void Empty_fields_and_consent_never_given_are_left_out_and_values_are_trimmed()
    {
        var properties = HubSpotProperties.Of(Contact("ann@example.com", firstName: "  Ann ", lastName: null, phone: " "), [new(CrmSources.FirstName, "firstname"), new(CrmSources.LastName, "lastname"), new(CrmSources.Phone, "phone"), new(CrmSources.EmailConsent, "shop_consent")]);

        properties.ShouldBe(new Dictionary<string, string> { ["email"] = "ann@example.com", ["firstname"] = "Ann" });
    }

    [Fact]
    public void A_birthday_goes_as_an_iso_date_only_with_its_year()
    {
        HubSpotProperties.Of(Contact("a@example.com", birthday: new(3, 5, 1990)), [new(CrmSources.Birthday, "date_of_birth")])["date_of_birth"].ShouldBe("1990-05-03");
        HubSpotProperties.Of(Contact("a@example.com", birthday: new(3, 5, null)), [new(CrmSources.Birthday, "date_of_birth")]).ShouldNotContainKey("date_of_birth");
    }

    [Fact]
    public void The_invalid_property_detail_HubSpot_packs_into_its_message_is_spelt_out()
    {
        var message = "Property values were not valid: [{\"isValid\":false,\"message\":\"Property \\\"favorite_store\\\" does not exist\",\"error\":\"PROPERTY_DOESNT_EXIST\",\"name\":\"favorite_store\"}]";

        HubSpotProperties.ExplainInvalidProperties(message).ShouldBe("Property values were not valid: favorite_store: PROPERTY_DOESNT_EXIST (Property \"favorite_store\" does not exist)");
        HubSpotProperties.ExplainInvalidProperties("Property values were not valid: [oops").ShouldBe("Property values were not valid: [oops");
        HubSpotProperties.ExplainInvalidProperties("Something else").ShouldBe("Something else");
    }

    [Fact]
    public void Results_are_matched_to_contacts_by_email_not_by_order()
    {
        using var json = JsonDocument.Parse("""{"status":"COMPLETE","results":[{"id":"2","properties":{"email":"Bob@example.com"}},{"id":"1","properties":{"email":"ann@example.com"}},{"id":"3"}]}""");

        HubSpotProperties.RecordIdsByEmail(json.RootElement).ShouldBe(new Dictionary<string, string> { ["bob@example.com"] = "2", ["ann@example.com"] = "1" });
    }

    [Fact]
    public void Per_contact_errors_of_a_multi_status_answer_are_found_by_the_email_in_their_context()
    {
        using var json = JsonDocument.Parse("""{"status":"COMPLETE","results":[],"numErrors":1,"errors":[{"status":"error","category":"VALIDATION_ERROR","message":"Bad value","context":{"ids":["ann@example.com"]}}]}""");

        HubSpotProperties.ErrorsByEmail(json.RootElement).ShouldBe(new Dictionary<string, string> { ["ann@example.com"] = "Bad value" });
    }

    [Fact]
    public void The_field_list_leaves_out_hidden_and_archived_properties_and_marks_read_only_and_calculated_ones()
    {
        using var json = JsonDocument.Parse("""
            [
              {"name":"firstname","label":"First Name","type":"string","hidden":false,"modificationMetadata":{"readOnlyValue":false}},
              {"name":"hs_object_id","label":"Record ID","type":"number","modificationMetadata":{"readOnlyValue":true}},
              {"name":"score","label":"Score","type":"number","calculated":true},
              {"name":"secret","label":"Secret","type":"string","hidden":true},
              {"name":"gone","label":"Gone","type":"string","archived":true},
              {"label":"No name"}
            ]
            """);

        HubSpotProperties.Fields(json.RootElement).ShouldBe([
            new CrmField("firstname", "First Name", "string"),
            new CrmField("hs_object_id", "Record ID", "number", ReadOnly: true),
            new CrmField("score", "Score", "number", ReadOnly: true),
        ]);
    }

    [Fact]
    public void HubSpots_error_text_is_its_message_and_its_errors_messages()
    {
        using var json = JsonDocument.Parse("""{"status":"error","message":"Invalid input","category":"VALIDATION_ERROR","errors":[{"message":"inputs is required"},{"message":"Invalid input"}]}""");

        HubSpotConnector.Message(json.RootElement).ShouldBe("Invalid input; inputs is required");
    }
}
