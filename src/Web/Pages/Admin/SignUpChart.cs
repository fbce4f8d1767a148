using System.Globalization;
using System.Net;
using System.Text;
using CustomerInfo.Application.Admin.GetDashboard;

namespace CustomerInfo.Web.Pages.Admin;

/// <summary>The words of the chart, in the page's language.</summary>
/// <param name="BarTitle">One bar's tooltip, "{0}: {1} sign-ups" (the day, the count).</param>
public sealed record SignUpChartText(string Title, string Description, string YAxis, string BarTitle);

/// <summary>
/// Sign-ups per day as an SVG bar chart drawn on the server: no script, one bar per day (a day
/// without sign-ups gets a flat mark, so it is seen as 0 rather than missing), a y axis with its
/// scale, a date under every seventh day and under today. <c>role="img"</c> with a title and a
/// description for screen readers; the page gives the numbers as a table beside it.
/// </summary>
public static class SignUpChart
{
    private const int Width = 720;
    private const int Height = 260;
    private const int Left = 48;
    private const int Right = 12;
    private const int Top = 16;
    private const int Bottom = 44;

    /// <summary>Blue on white: 7.0:1, more than the 3:1 WCAG asks of graphics.</summary>
    private const string BarColour = "#1f5f8b";

    /// <summary>The flat mark of a day without sign-ups: 4.6:1 on white.</summary>
    private const string ZeroColour = "#6b7280";

    /// <summary>Axis text: 9.9:1 on white.</summary>
    private const string TextColour = "#374151";

    public static string Svg(IReadOnlyList<DayCount> days, SignUpChartText text, CultureInfo culture, string id = "signups-chart")
    {
        ArgumentOutOfRangeException.ThrowIfZero(days.Count);
        var max = NiceMax(days.Max(d => d.SignUps));
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var slot = (double)plotWidth / days.Count;
        var barWidth = Math.Max(2, slot * 0.7);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\" focusable=\"false\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-title\">{Encode(text.Title)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<desc id=\"{id}-desc\">{Encode(text.Description)}</desc>");

        // The scale: 0, half and the top, with light lines across the plot.
        foreach (var value in new[] { 0, max / 2, max }.Distinct())
        {
            var y = Top + plotHeight - (plotHeight * value / (double)max);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#dde3ea\" stroke-width=\"1\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 8}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" font-size=\"15\" fill=\"{TextColour}\">{value.ToString("N0", culture)}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"12\" y=\"{Top + (plotHeight / 2)}\" transform=\"rotate(-90 12 {Top + (plotHeight / 2)})\" text-anchor=\"middle\" font-size=\"15\" fill=\"{TextColour}\">{Encode(text.YAxis)}</text>");

        svg.Append("<g class=\"bars\">");
        for (var i = 0; i < days.Count; i++)
        {
            var day = days[i];
            var x = Left + (i * slot) + ((slot - barWidth) / 2);
            var height = day.SignUps == 0 ? 2 : Math.Max(2, plotHeight * day.SignUps / (double)max);
            var colour = day.SignUps == 0 ? ZeroColour : BarColour;
            var tooltip = string.Format(culture, text.BarTitle, day.Day.ToString("d MMM", culture), day.SignUps);
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" data-count=\"{day.SignUps}\" x=\"{x:0.##}\" y=\"{Top + plotHeight - height:0.##}\" width=\"{barWidth:0.##}\" height=\"{height:0.##}\" fill=\"{colour}\"><title>{Encode(tooltip)}</title></rect>");
        }

        svg.Append("</g>");

        // The days: under every seventh day counted back from today, and today itself.
        for (var i = days.Count - 1; i >= 0; i -= 7)
        {
            var x = Left + (i * slot) + (slot / 2);
            var anchor = i == days.Count - 1 ? "end" : "middle";
            var labelX = i == days.Count - 1 ? Width - Right : x;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:0.##}\" x2=\"{x:0.##}\" y1=\"{Top + plotHeight}\" y2=\"{Top + plotHeight + 5}\" stroke=\"{TextColour}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelX:0.##}\" y=\"{Height - 14}\" text-anchor=\"{anchor}\" font-size=\"15\" fill=\"{TextColour}\">{Encode(days[i].Day.ToString("d MMM", culture))}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Top + plotHeight}\" y2=\"{Top + plotHeight}\" stroke=\"{TextColour}\" stroke-width=\"1\"/>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>The top of the scale: at least 4, and a round number at or above the highest day.</summary>
    public static int NiceMax(int highest)
    {
        if (highest <= 4)
        {
            return 4;
        }

        var magnitude = (int)Math.Pow(10, Math.Floor(Math.Log10(highest)));
        foreach (var step in new[] { 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 })
        {
            var candidate = (int)Math.Ceiling(step * magnitude);
            if (candidate >= highest && candidate % 2 == 0)
            {
                return candidate;
            }
        }

        return 10 * magnitude;
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
