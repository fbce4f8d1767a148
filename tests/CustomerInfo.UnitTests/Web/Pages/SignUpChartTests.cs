using System.Globalization;
using System.Xml.Linq;
using CustomerInfo.Application.Admin.GetDashboard;
using CustomerInfo.Web.Pages.Admin;

namespace CustomerInfo.UnitTests.Web.Pages;

public class SignUpChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static readonly SignUpChartText Text = new("Sign-ups per day <30 days>", "12 sign-ups & more", "Sign-ups", "{0}: {1} sign-ups");

    private static List<DayCount> Days(params int[] counts) =>
        counts.Select((count, i) => new DayCount(new DateOnly(2027, 2, 1).AddDays(i), count)).ToList();

    private static XElement Render(IReadOnlyList<DayCount> days, string culture = "en-GB") =>
        XElement.Parse(SignUpChart.Svg(days, Text, CultureInfo.GetCultureInfo(culture)));

    [Fact]
    public void There_is_one_bar_per_day_and_a_day_without_sign_ups_is_a_flat_mark_not_a_gap()
    {
        var counts = new int[30];
        counts[3] = 5;
        counts[29] = 10;

        var bars = Render(Days(counts)).Descendants(Svg + "rect").ToList();

        bars.Count.ShouldBe(30);
        bars.Select(b => (int)b.Attribute("data-count")!).ShouldBe(counts);
        var heights = bars.Select(b => double.Parse(b.Attribute("height")!.Value, CultureInfo.InvariantCulture)).ToList();
        heights[0].ShouldBe(2);
        heights[29].ShouldBeGreaterThan(heights[3]);
        (heights[3] * 2).ShouldBe(heights[29], tolerance: 0.1);
        bars[0].Element(Svg + "title")!.Value.ShouldBe("1 Feb: 0 sign-ups");
        bars[29].Element(Svg + "title")!.Value.ShouldBe("2 Mar: 10 sign-ups");
    }

    [Fact]
    public void The_chart_is_an_image_named_by_its_title_and_description_with_its_text_escaped()
    {
        var chart = Render(Days(new int[30]));

        chart.Attribute("role")!.Value.ShouldBe("img");
        chart.Attribute("aria-labelledby")!.Value.ShouldBe("signups-chart-title signups-chart-desc");
        chart.Element(Svg + "title")!.Value.ShouldBe("Sign-ups per day <30 days>");
        chart.Element(Svg + "title")!.Attribute("id")!.Value.ShouldBe("signups-chart-title");
        chart.Element(Svg + "desc")!.Value.ShouldBe("12 sign-ups & more");
    }

    [Fact]
    public void The_axes_show_the_scale_and_every_seventh_day_back_from_today_in_the_page_s_language()
    {
        var chart = Render(Days([.. Enumerable.Repeat(1, 29), 37]), "nl-NL");
        var labels = chart.Elements(Svg + "text").Select(t => t.Value).ToList();

        labels.ShouldContain("0");
        labels.ShouldContain("20");
        labels.ShouldContain("40");
        labels.ShouldContain("Sign-ups");
        labels.ShouldContain("2 mrt"); // today, the 30th day
        labels.ShouldContain("23 feb");
        labels.Count(l => l.Contains("feb", StringComparison.Ordinal) || l.Contains("mrt", StringComparison.Ordinal)).ShouldBe(5);
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(4, 4)]
    [InlineData(5, 6)]
    [InlineData(7, 8)]
    [InlineData(10, 10)]
    [InlineData(11, 12)]
    [InlineData(37, 40)]
    [InlineData(180, 200)]
    [InlineData(1234, 1500)]
    public void The_scale_ends_at_a_round_even_number_at_or_above_the_busiest_day(int highest, int top) =>
        SignUpChart.NiceMax(highest).ShouldBe(top);
}
