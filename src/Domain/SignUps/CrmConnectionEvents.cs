namespace CustomerInfo.Domain.SignUps;

// The CRM settings as facts for the audit log (issue 14 §5), on the connection's own stream (its
// ConnectionId). Ids and the connector's kind only: never a credential, a URL or a list's name, which
// stay in the CrmConnection document (secrets encrypted). Who changed them is in the event headers.

/// <summary>A CRM was connected (a new connection: the first, after a disconnect, or a switch to another kind).</summary>
public sealed record CrmConnected(Guid ConnectionId, string Crm, DateTimeOffset ConnectedAt);

/// <summary>The settings of the connected CRM were saved again; <see cref="NewSecrets"/> when new generated secrets were asked for.</summary>
public sealed record CrmSettingsChanged(Guid ConnectionId, string Crm, bool NewSecrets, DateTimeOffset ChangedAt);

/// <summary>Which of our fields go to which CRM field was saved: <see cref="Fields"/> mapped, and whether a list was chosen.</summary>
public sealed record CrmMappingSaved(Guid ConnectionId, string Crm, int Fields, bool ListChosen, DateTimeOffset SavedAt);

/// <summary>The CRM was disconnected: its secrets were dropped.</summary>
public sealed record CrmDisconnected(Guid ConnectionId, string Crm, DateTimeOffset DisconnectedAt);

/// <summary>A Manager asked for the earlier sign-ups to be sent to the connected CRM too.</summary>
public sealed record CrmHistorySent(Guid ConnectionId, string Crm, DateTimeOffset SentAt);
