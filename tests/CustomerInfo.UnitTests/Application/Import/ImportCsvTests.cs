using System.Text;
using CustomerInfo.Application.Import;

namespace CustomerInfo.UnitTests.Application.Import;

public class ImportCsvTests
{
    static ImportCsvTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static string Sniff(byte[] bytes, int blockSize = ImportChunk.Size)
    {
        var sniffer = new EncodingSniffer();
        for (var at = 0; at < bytes.Length; at += blockSize)
        {
            sniffer.Add(bytes.AsSpan(at, Math.Min(blockSize, bytes.Length - at)));
        }

        sniffer.Complete();
        return sniffer.Encoding;
    }

    private static async Task<(string[] Headers, List<string?[]> Rows)> ReadAsync(byte[] bytes)
    {
        var encoding = Sniff(bytes);
        await using var csv = ImportCsv.Open(new MemoryStream(bytes), encoding);
        await csv.ReadHeaderAsync();
        var headers = csv.Headers.ToArray();
        var rows = new List<string?[]>();
        while (await csv.ReadAsync())
        {
            rows.Add(ImportCsv.Cells(csv, headers.Length));
        }

        return (headers, rows);
    }

    [Fact]
    public async Task A_utf8_file_with_a_byte_order_mark_reads_its_letters_and_not_the_mark()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("Voornaam,Achternaam\nJürgen,Müller\n")).ToArray();

        Sniff(bytes).ShouldBe(ImportEncodings.Utf8);
        var (headers, rows) = await ReadAsync(bytes);
        headers.ShouldBe(["Voornaam", "Achternaam"]);
        rows.ShouldHaveSingleItem().ShouldBe(["Jürgen", "Müller"]);
    }

    [Fact]
    public async Task A_utf16_file_with_a_byte_order_mark_is_read_as_utf16()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("Voornaam;E-mail\r\nZoë;zoe@example.com\r\n")).ToArray();

        Sniff(bytes).ShouldBe(ImportEncodings.Utf16);
        var (headers, rows) = await ReadAsync(bytes);
        headers.ShouldBe(["Voornaam", "E-mail"]);
        rows.ShouldHaveSingleItem().ShouldBe(["Zoë", "zoe@example.com"]);
    }

    [Fact]
    public async Task Latin1_bytes_are_read_as_windows_1252_so_a_name_like_Mueller_comes_out_right()
    {
        var bytes = Encoding.Latin1.GetBytes("Voornaam;Achternaam\nRené;Müller\nFrançois;Strauß\n");

        Sniff(bytes).ShouldBe(ImportEncodings.Windows1252);
        var (_, rows) = await ReadAsync(bytes);
        rows.Select(r => r[1]).ShouldBe(["Müller", "Strauß"]);
        rows[0][0].ShouldBe("René");
    }

    [Fact]
    public void A_utf8_letter_cut_between_two_blocks_is_still_utf8()
    {
        var bytes = Encoding.UTF8.GetBytes("a,b\nü,ö\n");
        var cut = Array.IndexOf(bytes, (byte)0xC3) + 1;

        Sniff(bytes, blockSize: cut).ShouldBe(ImportEncodings.Utf8);
    }

    [Fact]
    public void A_file_ending_inside_a_utf8_letter_is_not_utf8() =>
        Sniff([.. Encoding.ASCII.GetBytes("a,b\nx,"), 0xC3]).ShouldBe(ImportEncodings.Windows1252);

    [Fact]
    public void A_nul_byte_marks_a_file_that_is_not_text()
    {
        var sniffer = new EncodingSniffer();
        sniffer.Add([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00]);

        sniffer.HasNul.ShouldBeTrue();
    }

    [Theory]
    [InlineData("Voornaam;Achternaam;E-mail\nAnn;de Vries;ann@example.com\n")]
    [InlineData("Voornaam,Achternaam,E-mail\nAnn,de Vries,ann@example.com\n")]
    [InlineData("Voornaam\tAchternaam\tE-mail\nAnn\tde Vries\tann@example.com\n")]
    [InlineData("sep=;\nVoornaam;Achternaam;E-mail\nAnn;de Vries;ann@example.com\n")]
    public async Task The_separator_is_found_whether_comma_semicolon_or_tab(string text)
    {
        var (headers, rows) = await ReadAsync(Encoding.UTF8.GetBytes(text));

        headers.ShouldBe(["Voornaam", "Achternaam", "E-mail"]);
        rows.ShouldHaveSingleItem().ShouldBe(["Ann", "de Vries", "ann@example.com"]);
    }

    [Fact]
    public async Task A_quoted_field_may_hold_line_breaks_separators_and_quotes()
    {
        var (_, rows) = await ReadAsync(Encoding.UTF8.GetBytes("Name;Notes;E-mail\r\nAnn;\"first line\r\nsecond; line \"\"quoted\"\"\";ann@example.com\r\nBob;plain;bob@example.com\r\n"));

        rows.Count.ShouldBe(2);
        rows[0][1].ShouldBe("first line\r\nsecond; line \"quoted\"");
        rows[1].ShouldBe(["Bob", "plain", "bob@example.com"]);
    }

    [Fact]
    public async Task A_row_with_a_missing_column_reads_the_missing_cell_as_null()
    {
        var (_, rows) = await ReadAsync(Encoding.UTF8.GetBytes("Voornaam;Achternaam;E-mail\nAnn;de Vries\n"));

        rows.ShouldHaveSingleItem().ShouldBe(["Ann", "de Vries", null]);
    }

    [Fact]
    public async Task Blank_rows_as_spreadsheets_write_them_are_blank()
    {
        var (_, rows) = await ReadAsync(Encoding.UTF8.GetBytes("a;b\n;;\nx;y\n"));

        rows.Where(ImportCsv.IsBlank).Count().ShouldBeLessThanOrEqualTo(1);
        rows.ShouldContain(r => r[0] == "x");
    }
}
