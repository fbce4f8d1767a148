using System.Globalization;
using System.Runtime.CompilerServices;
using CsvHelper;
using CustomerInfo.Application.SignUps.ExportSignUps;
using CustomerInfo.Application.SignUps.ListSignUps;

namespace CustomerInfo.Web.Pages.Admin.SignUps;

/// <summary>
/// The sign-up export as a CSV file: UTF-8 with a byte order mark (so Excel reads the letters
/// right), one header line, each row written and flushed as it is read, every cell neutralised.
/// </summary>
public static class SignUpsCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    /// <summary>Rows between flushes: the download starts at once and moves on steadily.</summary>
    public const int FlushEvery = 500;

    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    public static string FileName(SignUpExport export) => $"signups-{export.Today:yyyy-MM-dd}.csv";

    /// <summary>
    /// A cell a spreadsheet would read as a formula (it starts with =, +, -, @, a tab or a CR) gets a
    /// leading apostrophe, so "=HYPERLINK(...)" typed into the kiosk is shown, never run (OWASP's
    /// CSV injection advice). Phone numbers are in E.164 and start with '+': they are neutralised
    /// like any other cell, on purpose. Excel shows them as "'+31612345678", every digit and the
    /// plus kept; left alone, Excel would read them as numbers and drop the '+' (and a formula
    /// could hide behind a '+' just as well). A plain digit-first number stays as it is.
    /// </summary>
    public static string Neutralise(string? cell) =>
        string.IsNullOrEmpty(cell) ? "" : Array.IndexOf(FormulaStarts, cell[0]) >= 0 ? "'" + cell : cell;

    /// <summary>Writes the file into <paramref name="body"/>, counting in <paramref name="rows"/> the rows written (also when it breaks off).</summary>
    public static async Task WriteAsync(Stream body, SignUpExport export, CsvHeaders headers, StrongBox<int> rows, CancellationToken cancellationToken)
    {
        // Neutralise does it, tested on its own; CsvHelper's own escaping stays off so no cell gets two quotes.
        var options = CsvWriterOptions.Default with { Injection = CsvInjection.None, WriteByteOrderMark = true };
        await using var csv = CsvWriter.Create(body, options, leaveOpen: true);

        foreach (var header in headers.Before.Concat(export.Questions).Concat(headers.After))
        {
            csv.WriteField(Neutralise(header));
        }

        await csv.EndRecordAsync(cancellationToken);
        await foreach (var row in export.Rows.WithCancellation(cancellationToken))
        {
            WriteCells(csv, row, headers);
            await csv.EndRecordAsync(cancellationToken);
            if (++rows.Value % FlushEvery == 0)
            {
                await csv.FlushAsync(cancellationToken);
                await body.FlushAsync(cancellationToken);
            }
        }

        await csv.FlushAsync(cancellationToken);
        await body.FlushAsync(cancellationToken);
    }

    /// <summary>The row's cells in the header's order, each written as it is (no list of them per row: a million rows make a million lists).</summary>
    private static void WriteCells(CsvWriter csv, SignUpExportRow row, CsvHeaders headers)
    {
        csv.WriteField(Neutralise(row.FirstName));
        csv.WriteField(Neutralise(row.LastName));
        csv.WriteField(Neutralise(row.Email));
        csv.WriteField(Neutralise(row.Phone));
        csv.WriteField(Neutralise(row.Birthday));
        csv.WriteField(Neutralise(row.PostalCode));
        for (var i = 0; i < row.Answers.Count; i++)
        {
            csv.WriteField(Neutralise(row.Answers[i]));
        }

        csv.WriteField(Neutralise(row.EmailConsent ? headers.Yes : headers.No));
        csv.WriteField(Neutralise(row.SmsConsent ? headers.Yes : headers.No));
        csv.WriteField(Neutralise(row.Store));
        csv.WriteField(Neutralise(row.ReceivedAt));
        csv.WriteField(Neutralise(row.TimeZone));
        csv.WriteField(Neutralise(headers.PushStatus(row.CrmStatus)));
        csv.WriteField(Neutralise(row.CrmRecordId));
    }
}

/// <summary>
/// The header cells around the questions' labels, and the words for yes and no and for each push
/// status (<see cref="PushStatus"/>, "not connected" for waiting without a connection), in the admin's language.
/// </summary>
public sealed record CsvHeaders(IReadOnlyList<string> Before, IReadOnlyList<string> After, string Yes, string No, Func<CrmPushStatus, string> PushStatus);
