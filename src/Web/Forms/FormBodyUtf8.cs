using System.Buffers;
using System.Text;

namespace CustomerInfo.Web.Forms;

/// <summary>
/// Invalid UTF-8 in the percent-escapes of an <c>application/x-www-form-urlencoded</c> body. The
/// framework's form reader leaves escapes that do not decode to UTF-8 as their literal text, so
/// <c>%FF</c> would be stored as the three characters "%FF". A browser decoding the same body
/// (WHATWG URL, "percent-decode" then "UTF-8 decode without BOM") gets U+FFFD instead.
/// </summary>
public static class FormBodyUtf8
{
    /// <summary>Whether every run of percent-escapes in <paramref name="body"/> decodes to valid UTF-8 (a scan, no copy).</summary>
    public static bool IsValid(in ReadOnlySequence<byte> body)
    {
        var reader = new SequenceReader<byte>(body);
        var utf8 = default(Utf8Sequence);
        Span<byte> hex = stackalloc byte[2];
        while (true)
        {
            if (utf8.IsComplete)
            {
                if (!reader.TryAdvanceTo((byte)'%'))
                {
                    return true;
                }
            }
            else if (!reader.IsNext((byte)'%', advancePast: true))
            {
                // A character begun in escapes must go on in escapes: the framework leaves it undecoded.
                return false;
            }

            if (!reader.TryCopyTo(hex) || Hex(hex[0]) is not { } high || Hex(hex[1]) is not { } low)
            {
                if (!utf8.IsComplete)
                {
                    return false;
                }

                continue;
            }

            reader.Advance(2);
            if (!utf8.Accept((byte)((high << 4) | low)))
            {
                return false;
            }
        }
    }

    /// <summary>
    /// <paramref name="body"/> with every run of percent-escapes that is not valid UTF-8 replaced by
    /// the escapes of its decoding, where each invalid part is U+FFFD. Everything else, valid runs
    /// included, is kept byte for byte, so what the form reader makes of it changes only there.
    /// </summary>
    public static byte[] Repair(in ReadOnlySequence<byte> body)
    {
        var source = body.ToArray();
        var repaired = new ArrayBufferWriter<byte>(source.Length + 16);
        var decoded = new List<byte>();
        var i = 0;
        while (i < source.Length)
        {
            var start = i;
            decoded.Clear();
            while (i + 2 < source.Length && source[i] == '%' && Hex(source[i + 1]) is { } high && Hex(source[i + 2]) is { } low)
            {
                decoded.Add((byte)((high << 4) | low));
                i += 3;
            }

            if (decoded.Count == 0)
            {
                repaired.Write(source.AsSpan(i, 1));
                i++;
            }
            else if (System.Text.Unicode.Utf8.IsValid(decoded.ToArray()))
            {
                repaired.Write(source.AsSpan(start, i - start));
            }
            else
            {
                WriteEscaped(repaired, Encoding.UTF8.GetString(decoded.ToArray()));
            }
        }

        return repaired.WrittenSpan.ToArray();
    }

    private static void WriteEscaped(ArrayBufferWriter<byte> output, string text)
    {
        // Every byte escaped, ASCII too: an escaped "&" or "=" must stay data, not become a delimiter.
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            output.Write([(byte)'%', HexDigit(b >> 4), HexDigit(b & 0xF)]);
        }
    }

    private static byte HexDigit(int value) => (byte)(value < 10 ? '0' + value : 'A' + value - 10);

    private static int? Hex(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        _ => null,
    };

    /// <summary>A UTF-8 decoder fed one byte at a time: overlong forms, surrogates and values past U+10FFFF are invalid.</summary>
    private struct Utf8Sequence
    {
        private int remaining;
        private int value;
        private int minimum;

        public readonly bool IsComplete => remaining == 0;

        public bool Accept(byte b)
        {
            if (remaining == 0)
            {
                (remaining, value, minimum) = b switch
                {
                    < 0x80 => (0, b, 0),
                    >= 0xC2 and <= 0xDF => (1, b & 0x1F, 0x80),
                    >= 0xE0 and <= 0xEF => (2, b & 0x0F, 0x800),
                    >= 0xF0 and <= 0xF4 => (3, b & 0x07, 0x10000),
                    _ => (-1, 0, 0),
                };
                if (remaining < 0)
                {
                    remaining = 0;
                    return false;
                }

                return true;
            }

            if ((b & 0xC0) != 0x80)
            {
                return false;
            }

            value = (value << 6) | (b & 0x3F);
            return --remaining > 0 || (value >= minimum && value <= 0x10FFFF && value is (< 0xD800 or > 0xDFFF));
        }
    }
}
