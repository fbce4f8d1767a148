namespace CustomerInfo.Web.Resources;

/// <summary>The text of the Owner's audit log page (AuditLogText.resx, AuditLogText.nl.resx); the entries' sentences are the Application's AuditText.</summary>
public sealed class AuditLogText;
