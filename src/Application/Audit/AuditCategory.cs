namespace CustomerInfo.Application.Audit;

/// <summary>What kind of action an audit entry is; the log's action filter (issue 14 §5).</summary>
public enum AuditCategory
{
    SignIns,
    Team,
    Exports,
    Privacy,
    Form,
    Stores,
    Crm,
    Billing,
    Security,
}
