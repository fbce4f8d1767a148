namespace CustomerInfo.Domain.SignUps;

/// <summary>
/// A team member downloaded the sign-up list as CSV, on a stream of its own (keyed by
/// <see cref="ExportId"/>); who did is in the event headers. <see cref="Filter"/> describes the
/// filter without what was searched for (a search names a shopper): <see cref="Searched"/> says only
/// whether there was one. <see cref="Completed"/> is false when the download broke off after
/// <see cref="Rows"/> rows, which were still handed out.
/// </summary>
public sealed record SignUpsExported(Guid ExportId, string Filter, bool Searched, int Rows, bool Completed, DateTimeOffset ExportedAt);
