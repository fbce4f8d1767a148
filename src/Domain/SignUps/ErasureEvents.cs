namespace CustomerInfo.Domain.SignUps;

/// <summary>
/// On a contact's stream (the surviving contact's and every contact it absorbed): the shopper asked
/// to be forgotten, and every copy of their details was erased. What stays is what says nothing
/// about who they were: that a contact existed, when its sign-ups happened and where.
/// <see cref="ErasedBy"/> names the account that asked (an account id or a role, never a name or an
/// address), so the history shows who erased it.
/// </summary>
public sealed record ShopperErased(Guid ContactId, Guid ShopperContactId, IReadOnlyList<Guid> SignUpIds, string ErasedBy, DateTimeOffset ErasedAt);

/// <summary>On a sign-up's stream: the shopper who gave it was erased (see <see cref="ShopperErased"/>).</summary>
public sealed record SignUpErased(Guid SignUpId, Guid ContactId, string ErasedBy, DateTimeOffset ErasedAt);
