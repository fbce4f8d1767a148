using System.Net;
using System.Text;

namespace CustomerInfo.Application.Common.Mail;

/// <summary>
/// Writes one mail as plain text and as HTML from the same blocks, so the two parts say the same.
/// Every value is HTML-encoded in the HTML part; the text part writes each link out in full.
/// </summary>
internal sealed class MailComposer(MailText text)
{
    private const string Font = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
    private readonly StringBuilder plain = new();
    private readonly StringBuilder html = new();

    public MailComposer Paragraph(string value)
    {
        Block(value);
        html.Append("<p style=\"margin:0 0 16px\">").Append(WebUtility.HtmlEncode(value)).Append("</p>\n");
        return this;
    }

    /// <summary>The mail's one action: a button in HTML (with its address written out below), the address under its label in text.</summary>
    public MailComposer Action(string label, Uri link)
    {
        var address = link.AbsoluteUri;
        Block($"{label}:\n{address}");
        html.Append("<p style=\"margin:24px 0\"><a href=\"").Append(WebUtility.HtmlEncode(address))
            .Append("\" style=\"background:#1d4ed8;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600;display:inline-block\">")
            .Append(WebUtility.HtmlEncode(label)).Append("</a></p>\n")
            .Append("<p style=\"margin:0 0 16px;font-size:14px;color:#4b5563\">").Append(WebUtility.HtmlEncode(text.LinkFallback))
            .Append("<br><a href=\"").Append(WebUtility.HtmlEncode(address)).Append("\" style=\"color:#1d4ed8;word-break:break-all\">")
            .Append(WebUtility.HtmlEncode(address)).Append("</a></p>\n");
        return this;
    }

    /// <summary>A list of links (one per store), each under its label in text.</summary>
    public MailComposer Links(IEnumerable<(string Label, Uri Link)> links)
    {
        html.Append("<ul style=\"margin:0 0 16px;padding-left:20px\">\n");
        foreach (var (label, link) in links)
        {
            var address = link.AbsoluteUri;
            Block($"{label}:\n{address}");
            html.Append("<li style=\"margin:0 0 8px\"><a href=\"").Append(WebUtility.HtmlEncode(address)).Append("\" style=\"color:#1d4ed8\">")
                .Append(WebUtility.HtmlEncode(label)).Append("</a></li>\n");
        }

        html.Append("</ul>\n");
        return this;
    }

    public OutgoingMail Build(string to, string subject)
    {
        var document = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"").Append(text.Language).Append("\">\n<head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(subject)).Append("</title></head>\n")
            .Append("<body style=\"margin:0;padding:24px;background:#ffffff;color:#111827;").Append(Font).Append(";font-size:16px;line-height:1.5\">\n")
            .Append("<div style=\"max-width:560px\">\n").Append(html).Append("</div>\n</body>\n</html>\n");
        return new OutgoingMail(to, subject, plain.ToString().TrimEnd() + "\n", document.ToString());
    }

    private void Block(string value)
    {
        if (plain.Length > 0)
        {
            plain.Append("\n\n");
        }

        plain.Append(value);
    }
}
