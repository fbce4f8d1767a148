using System.Text;
using CsvHelper;

namespace CustomerInfo.Application.Import;

/// <summary>
/// How an uploaded file is read: its encoding found while it is stored (<see cref="EncodingSniffer"/>),
/// then CsvHelper with the separator detected from the first lines (<c>,</c> <c>;</c> tab or <c>|</c>:
/// Dutch Excel writes <c>;</c>), quoted fields that hold line breaks, and a cap on one record's size
/// so an unclosed quote cannot make the reader take in the whole file.
/// </summary>
public static class ImportCsv
{
    /// <summary>The longest record read: far above any customer row, far below the file limit.</summary>
    public const int MaxRecordBytes = 1024 * 1024;

    public const int PreviewRows = 5;

    static ImportCsv() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static CsvReader Open(Stream stream, string encoding) =>
        CsvReader.Create(stream, Options(encoding), leaveOpen: true);

    public static CsvReaderOptions Options(string encoding) => CsvReaderOptions.Default with
    {
        // Null for UTF-8 and UTF-16: CsvHelper honours their byte order marks and reads UTF-8 otherwise.
        Encoding = encoding == ImportEncodings.Windows1252 ? Encoding.GetEncoding(1252) : null,
        MaxRecordSize = MaxRecordBytes,
        TrimWhitespace = true,
        SkipEmptyLines = true,
        IncludeValuesInExceptions = false,
        DetectSeparatorHint = true,
    };

    /// <summary>The current record's cells, as many as the header has columns (a missing cell is null).</summary>
    public static string?[] Cells(CsvReader csv, int columns)
    {
        var cells = new string?[columns];
        var count = Math.Min(columns, csv.FieldCount);
        for (var i = 0; i < count; i++)
        {
            cells[i] = csv.GetString(i);
        }

        return cells;
    }

    /// <summary>Whether every cell is empty or spaces (a spreadsheet's blank row written as ";;;;").</summary>
    public static bool IsBlank(IReadOnlyList<string?> cells) => cells.All(string.IsNullOrWhiteSpace);
}

/// <summary>
/// Tells the encoding of a file while it streams past, a block at a time: a byte order mark for
/// UTF-8 or UTF-16, otherwise UTF-8 as long as every byte sequence is valid UTF-8, else
/// Windows-1252 (what Excel and version 1 wrote as "ANSI"; it is Latin-1 with letters in
/// 0x80–0x9F, so a Latin-1 "Müller" reads right too). A NUL byte outside UTF-16 means the file is
/// not text at all.
/// </summary>
public sealed class EncodingSniffer
{
    private readonly Decoder utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
    private readonly char[] scratch = new char[ImportChunk.Size + 8];
    private bool first = true;
    private bool utf16;
    private bool validUtf8 = true;

    public bool HasNul { get; private set; }

    public string Encoding => utf16 ? ImportEncodings.Utf16 : validUtf8 ? ImportEncodings.Utf8 : ImportEncodings.Windows1252;

    public void Add(ReadOnlySpan<byte> block)
    {
        if (first && block.Length > 0)
        {
            first = false;
            utf16 = block.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || block.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]);
        }

        if (utf16)
        {
            return;
        }

        HasNul |= block.Contains((byte)0);
        if (!validUtf8)
        {
            return;
        }

        try
        {
            while (block.Length > 0)
            {
                var take = Math.Min(block.Length, ImportChunk.Size);
                utf8.Convert(block[..take], scratch, flush: false, out var used, out _, out _);
                block = block[used..];
            }
        }
        catch (DecoderFallbackException)
        {
            validUtf8 = false;
        }
    }

    /// <summary>The end of the file: a multi-byte sequence cut off at the end is not UTF-8 either.</summary>
    public void Complete()
    {
        if (utf16 || !validUtf8)
        {
            return;
        }

        try
        {
            utf8.Convert(ReadOnlySpan<byte>.Empty, scratch, flush: true, out _, out _, out _);
        }
        catch (DecoderFallbackException)
        {
            validUtf8 = false;
        }
    }
}
