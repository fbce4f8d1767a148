using System.IO.Compression;
using System.Text;
using CustomerInfo.Web.Pages.Store;
using Microsoft.AspNetCore.Http;

namespace CustomerInfo.UnitTests.Web.Pages;

public class FormTemplateTests
{
    [Theory]
    [InlineData("<form><input value=\"TOKEN\"><input value=\"ID\"></form>")]
    [InlineData("<form><input value=\"ID\"><input value=\"TOKEN\"></form>")]
    public void A_page_is_filled_with_new_values_wherever_the_old_ones_were(string html)
    {
        var template = EmptyFormCache.FormTemplate.TryCut(html, "TOKEN", "ID").ShouldNotBeNull();

        template.Fill("t2", "i2").ShouldBe(html.Replace("TOKEN", "t2", StringComparison.Ordinal).Replace("ID", "i2", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("<form><input value=\"ID\"></form>")]
    [InlineData("<form><input value=\"TOKEN\"></form>")]
    [InlineData("<form>TOKEN TOKEN ID</form>")]
    [InlineData("<form>TOKEN ID ID</form>")]
    [InlineData("<form>TOKID</form>")]
    public void A_page_where_a_value_is_missing_twice_or_overlapping_is_not_kept(string html)
    {
        EmptyFormCache.FormTemplate.TryCut(html, "TOKEN", "ID").ShouldBeNull();
        EmptyFormCache.FormTemplate.TryCut(html, "TOK", "KID").ShouldBeNull();
    }

    public static TheoryData<string> Pages() => new()
    {
        "<form><input value=\"TOKEN\"><input value=\"ID\"></form>",
        "<form><input value=\"ID\"><input value=\"TOKEN\"></form>",
        "TOKENID",
        "IDTOKEN",
        "<p>Één café, één naïeve crème brûlée ✓</p>TOKEN<p>" + new string('x', 70_000) + "</p>ID",
        string.Concat(Enumerable.Range(0, 5_000).Select(i => $"<label for=f{i}>Field {i}</label>")) + "TOKEN" + "ID" + "<footer>end</footer>",
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public void The_gzip_page_opens_to_exactly_the_filled_page(string html)
    {
        var template = EmptyFormCache.FormTemplate.TryCut(html, "TOKEN", "ID").ShouldNotBeNull();

        foreach (var (token, id) in new[] { ("t2", "i2"), ("", ""), (new string('T', 70_000), Guid.NewGuid().ToString()) })
        {
            var gzip = template.Gzip(token, id);

            Gunzip(gzip).ShouldBe(template.Fill(token, id));
            BitConverter.ToUInt32(gzip, gzip.Length - 4).ShouldBe((uint)Encoding.UTF8.GetByteCount(template.Fill(token, id)));
        }
    }

    [Fact]
    public void The_gzip_page_is_compressed_and_a_corrupted_one_is_refused_by_its_checksum()
    {
        var html = "<main>" + string.Concat(Enumerable.Repeat("<p class=\"field\">Same text again</p>", 400)) + "<input value=\"TOKEN\"><input value=\"ID\"></main>";
        var template = EmptyFormCache.FormTemplate.TryCut(html, "TOKEN", "ID").ShouldNotBeNull();
        var gzip = template.Gzip("a-token", "an-id");

        gzip.Length.ShouldBeLessThan(html.Length / 10);
        gzip[^8] ^= 1; // the CRC-32 of the whole page, which a browser checks
        Should.Throw<InvalidDataException>(() => Gunzip(gzip));
    }

    [Theory]
    [InlineData("gzip, deflate, br, zstd", true)]
    [InlineData("br;q=1.0, gzip;q=0.8", true)]
    [InlineData("*", true)]
    [InlineData("GZIP", true)]
    [InlineData("br", false)]
    [InlineData("gzip;q=0", false)]
    [InlineData("gzip;q=0, *", false)]
    [InlineData("identity", false)]
    [InlineData("", false)]
    [InlineData(";;;", false)]
    public void Gzip_is_sent_only_where_the_browser_takes_it(string acceptEncoding, bool gzip)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.AcceptEncoding = acceptEncoding;

        EmptyFormCache.AcceptsGzip(context.Request).ShouldBe(gzip);
    }

    private static string Gunzip(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var reader = new StreamReader(input, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
