namespace CustomerInfo.Application.Common;

/// <summary>
/// Absolute addresses of our own pages, for mails and hand-offs between hosts: a store's pages at
/// <c>{scheme}://{store}.{root}</c>, the platform's at <c>{scheme}://{root}</c>. Built from
/// configuration, not from a request, so a job in the worker writes the same links a page would.
/// </summary>
public interface ISiteLinks
{
    Uri Store(string identifier, string pathAndQuery);

    Uri Platform(string pathAndQuery);
}
