using System.Net;
using QRCoder;

namespace CustomerInfo.Web.Stores;

/// <summary>A kiosk link's QR code as inline SVG, to scan with the tablet's camera; it holds exactly the link's address.</summary>
public static class KioskLinkQrCode
{
    /// <param name="accessibleName">What a screen reader says for the image, e.g. "QR code for Tablet 1".</param>
    public static string Svg(Uri url, string accessibleName) => Svg(url.AbsoluteUri, accessibleName);

    /// <summary>Any text as a QR code, e.g. an authenticator app's otpauth:// address (account security page).</summary>
    public static string Svg(string text, string accessibleName)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(8, "#000000", "#ffffff", drawQuietZones: true, sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute);
        var name = WebUtility.HtmlEncode(accessibleName);
        return svg.Replace("<svg ", $"<svg role=\"img\" aria-label=\"{name}\" class=\"qr-code\" focusable=\"false\" ", StringComparison.Ordinal);
    }
}
