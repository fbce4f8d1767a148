using System.Runtime.CompilerServices;
using System.Text;
using CustomerInfo.Application.SignUps.ExportSignUps;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Web.Pages.Admin.SignUps;

namespace CustomerInfo.UnitTests.Web.SignUps;

public class SignUpsCsvTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.test\",\"click\")", "'=HYPERLINK(\"http://evil.test\",\"click\")")]
    [InlineData("+31612345678", "'+31612345678")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1:A2)", "'@SUM(A1:A2)")]
    [InlineData("\t=1+1", "'\t=1+1")]
    [InlineData("\r=1+1", "'\r=1+1")]
    [InlineData("=", "'=")]
    public void A_cell_a_spreadsheet_would_run_as_a_formula_gets_a_leading_apostrophe(string cell, string written) =>
        SignUpsCsv.Neutralise(cell).ShouldBe(written);

    [Theory]
    [InlineData("Ann")]
    [InlineData("ann@example.com")]
    [InlineData("0612345678")]
    [InlineData(" =1+1")]
    [InlineData("a=b")]
    [InlineData("'already quoted")]
    [InlineData("Zoë – “quoted”, with a comma")]
    [InlineData("1012 AB")]
    public void Any_other_cell_stays_as_it_is(string cell) => SignUpsCsv.Neutralise(cell).ShouldBe(cell);

    [Fact]
    public void An_empty_cell_is_written_empty()
    {
        SignUpsCsv.Neutralise(null).ShouldBe("");
        SignUpsCsv.Neutralise("").ShouldBe("");
    }

    [Fact]
    public async Task The_file_starts_with_a_byte_order_mark_then_the_header_and_a_row_per_sign_up_neutralised()
    {
        var export = new SignUpExport(Guid.NewGuid(), new DateOnly(2026, 3, 1), ["How did you hear of us?"], Rows(
            new SignUpExportRow("=cmd", "de Vries", "ann@example.com", "+31612345678", "1990-03-14", "1012 AB", ["From a friend; An advert"], true, false, "Centrum, Utrecht", "2026-03-01 09:05", "Europe/Amsterdam", CrmPushStatus.Pushed, "hs-1234"),
            new SignUpExportRow("Bram", null, null, null, null, null, [""], false, false, null, "2026-03-01 09:06", "Europe/Amsterdam", CrmPushStatus.Failed)));
        var headers = new CsvHeaders(["First name", "Last name", "Email", "Phone", "Birthday", "Postal code"], ["Email consent", "SMS consent", "Store", "Received", "Time zone", "CRM push status", "CRM record id"], "yes", "no", s => s.ToString());
        using var body = new MemoryStream();
        var rows = new StrongBox<int>();

        await SignUpsCsv.WriteAsync(body, export, headers, rows, CancellationToken.None);

        rows.Value.ShouldBe(2);
        var bytes = body.ToArray();
        bytes.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n");
        lines[0].ShouldBe("First name,Last name,Email,Phone,Birthday,Postal code,How did you hear of us?,Email consent,SMS consent,Store,Received,Time zone,CRM push status,CRM record id");
        lines[1].ShouldBe("'=cmd,de Vries,ann@example.com,'+31612345678,1990-03-14,1012 AB,From a friend; An advert,yes,no,\"Centrum, Utrecht\",2026-03-01 09:05,Europe/Amsterdam,Pushed,hs-1234");
        lines[2].ShouldBe("Bram,,,,,,,no,no,,2026-03-01 09:06,Europe/Amsterdam,Failed,");
        SignUpsCsv.FileName(export).ShouldBe("signups-2026-03-01.csv");
    }

    private static async IAsyncEnumerable<SignUpExportRow> Rows(params SignUpExportRow[] rows)
    {
        foreach (var row in rows)
        {
            await Task.Yield();
            yield return row;
        }
    }
}
