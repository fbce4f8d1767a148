using System.Net;
using System.Net.Sockets;

namespace CustomerInfo.Infrastructure.Crm.Webhook;

/// <summary>
/// Where a webhook may point (issue 12 §4): only at public addresses. The webhook's HTTP client
/// connects through <see cref="ConnectAsync"/>, which resolves the host, refuses it if any of its
/// addresses is not public, and connects to exactly the addresses it checked, so a DNS answer that
/// changes between the check and the connection (DNS rebinding) cannot lead inside. Redirects are not
/// followed, and no proxy is used (the proxy's address would be checked instead of the target's).
/// <c>Crm:AllowPrivateTargets</c> turns all of this off (tests, Development).
/// </summary>
internal static class WebhookTargets
{
    /// <summary>Ranges no webhook may reach, with what they are in words a retailer can act on.</summary>
    private static readonly (IPNetwork Network, string Kind)[] Forbidden =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "an unspecified address"),
        (IPNetwork.Parse("10.0.0.0/8"), "a private address"),
        (IPNetwork.Parse("100.64.0.0/10"), "a shared (carrier-grade NAT) address"),
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback address"),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local address"),
        (IPNetwork.Parse("172.16.0.0/12"), "a private address"),
        (IPNetwork.Parse("192.0.0.0/24"), "a reserved address"),
        (IPNetwork.Parse("192.0.2.0/24"), "a documentation address"),
        (IPNetwork.Parse("192.168.0.0/16"), "a private address"),
        (IPNetwork.Parse("198.18.0.0/15"), "a benchmarking address"),
        (IPNetwork.Parse("198.51.100.0/24"), "a documentation address"),
        (IPNetwork.Parse("203.0.113.0/24"), "a documentation address"),
        (IPNetwork.Parse("224.0.0.0/4"), "a multicast address"),
        (IPNetwork.Parse("240.0.0.0/4"), "a reserved address"),
        (IPNetwork.Parse("::/128"), "an unspecified address"),
        (IPNetwork.Parse("::1/128"), "a loopback address"),
        (IPNetwork.Parse("fc00::/7"), "a private (unique local) address"),
        (IPNetwork.Parse("fe80::/10"), "a link-local address"),
        (IPNetwork.Parse("fec0::/10"), "a site-local address"),
        (IPNetwork.Parse("ff00::/8"), "a multicast address"),
        (IPNetwork.Parse("2001:db8::/32"), "a documentation address"),
        (IPNetwork.Parse("100::/64"), "a discard address"),
    ];

    /// <summary>IPv6 forms that carry an IPv4 address, which is then checked: NAT64 and 6to4.</summary>
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>Why a webhook may not reach <paramref name="address"/> ("a private address (10.0.0.0/8)"), or null when it may.</summary>
    public static string? Refusal(IPAddress address)
    {
        var checkedAddress = Embedded(address);
        foreach (var (network, kind) in Forbidden)
        {
            if (network.Contains(checkedAddress))
            {
                return $"{kind} ({network})";
            }
        }

        return null;
    }

    /// <summary>The range out of a refusal ("a private address (10.0.0.0/8)": "10.0.0.0/8"), or the whole refusal when it names none.</summary>
    public static string NetworkOf(string refusal) =>
        refusal.LastIndexOf('(') is var open and >= 0 && refusal.EndsWith(')') ? refusal[(open + 1)..^1] : refusal;

    /// <summary>The literal address or "localhost" name in a URL's host, refused before any call; null for other names (checked at connect time).</summary>
    public static string? RefusalOfHost(Uri uri)
    {
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(uri.Host.Trim('[', ']'), out var literal))
        {
            return Refusal(literal);
        }

        var host = uri.IdnHost.TrimEnd('.');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            ? "a loopback address (localhost)"
            : null;
    }

    /// <summary>The webhook client's handler: as every CRM client's, plus the connect-time check unless <paramref name="allowPrivateTargets"/>.</summary>
    public static SocketsHttpHandler Handler(bool allowPrivateTargets) => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        UseProxy = allowPrivateTargets,
        ConnectCallback = allowPrivateTargets ? null : ConnectAsync,
    };

    /// <summary>
    /// Resolves the host, refuses it when any address is not public (<see cref="CrmTargetRefusedException"/>, which the
    /// connector turns into a refused push with its reason), and connects to the checked addresses only.
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        var literal = IPAddress.TryParse(host, out var parsed);
        var addresses = literal ? [parsed!] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        foreach (var address in addresses)
        {
            if (Refusal(address) is { } refusal)
            {
                throw new CrmTargetRefusedException($"The webhook's host {(literal ? "is" : "resolves to")} {refusal}, which is not allowed: a webhook must reach a public address.", literal, refusal);
            }
        }

        var socket = Socket.OSSupportsIPv6 ? new Socket(SocketType.Stream, ProtocolType.Tcp) : new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = true;
        try
        {
            await socket.ConnectAsync(Socket.OSSupportsIPv6 ? addresses : [.. addresses.Where(a => a.AddressFamily == AddressFamily.InterNetwork)], context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static IPAddress Embedded(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }

        if (SixToFour.Contains(address))
        {
            return new IPAddress(bytes.AsSpan(2, 4));
        }

        // IPv4-compatible (::a.b.c.d, deprecated), but not :: and ::1 themselves.
        return bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 && new IPAddress(bytes.AsSpan(12, 4)) is var v4 && v4.GetAddressBytes()[0] != 0
            ? v4
            : address;
    }
}

/// <summary>A webhook target that the connect-time check refused; its message is the reason shown to the retailer (no secrets in it).</summary>
/// <summary>
/// The connect-time check refused the webhook's host. <see cref="Network"/> is the range it falls in ("10.0.0.0/8"),
/// which the reason names in the reader's language; <see cref="Literal"/>: the URL named the address itself.
/// </summary>
internal sealed class CrmTargetRefusedException(string reason, bool literal, string refusal) : Exception(reason)
{
    public bool Literal => literal;

    /// <summary>The range out of "a private address (10.0.0.0/8)", or the whole refusal when it names none ("localhost").</summary>
    public string Network => WebhookTargets.NetworkOf(refusal);
}
