namespace CustomerInfo.Application.Crm;

/// <summary>
/// The one list of our CRM kinds and their names: the connectors' <see cref="CrmConnectorInfo.DisplayName"/>,
/// the settings page (which translates only the webhook's, the others being product names), mails and
/// job names all read it here.
/// </summary>
public static class CrmNames
{
    public const string Webhook = "webhook";
    public const string HubSpot = "hubspot";
    public const string Mailchimp = "mailchimp";
    public const string Klaviyo = "klaviyo";

    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        [Webhook] = "Signed webhook",
        [HubSpot] = "HubSpot",
        [Mailchimp] = "Mailchimp",
        [Klaviyo] = "Klaviyo",
    };

    /// <summary>The name to show for a kind ("HubSpot"), or the kind itself for one we do not know.</summary>
    public static string DisplayName(string kind) => Names.GetValueOrDefault(kind, kind);

    /// <summary>The name as it reads inside a sentence of a mail or a job's name ("the webhook", "HubSpot").</summary>
    public static string Of(string kind) => kind == Webhook ? "the webhook" : DisplayName(kind);
}
