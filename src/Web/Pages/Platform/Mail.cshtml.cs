using System.Text.RegularExpressions;
using CustomerInfo.Infrastructure.Mail;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerInfo.Web.Pages.Platform;

/// <summary>
/// Development only, on the platform host: the mails the app wrote to <c>Smtp:PickupDirectory</c>
/// (./build.sh run sets it to .data/mail), newest first, their links clickable. Every other
/// environment answers 404.
/// </summary>
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed partial class MailModel(CaughtMails mails, IHostEnvironment environment) : PageModel
{
    public const int Shown = 50;

    public string? Directory => mails.Directory;

    public IReadOnlyList<CaughtMail> Mails { get; private set; } = [];

    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        if (!environment.IsDevelopment())
        {
            context.Result = NotFound();
        }
    }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Mails = await mails.NewestAsync(Shown, cancellationToken);

    /// <summary>A mail's text cut into plain runs and links (http/https only), for the page to show the links as links.</summary>
    public static IEnumerable<(string Text, bool IsLink)> Segments(string text)
    {
        var at = 0;
        foreach (Match link in Link().Matches(text))
        {
            if (link.Index > at)
            {
                yield return (text[at..link.Index], false);
            }

            yield return (link.Value, true);
            at = link.Index + link.Length;
        }

        if (at < text.Length)
        {
            yield return (text[at..], false);
        }
    }

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex Link();
}
