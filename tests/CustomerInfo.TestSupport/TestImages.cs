using System.Buffers.Binary;
using System.Text;
using SkiaSharp;

namespace CustomerInfo.TestSupport;

/// <summary>Real image files for the logo tests, made with SkiaSharp, and the hostile ones made from them.</summary>
public static class TestImages
{
    /// <summary>A logo-like picture: a coloured disc and bars on transparency (or white), with some noise so it does not compress to nothing.</summary>
    public static byte[] Encode(int width, int height, SKEncodedImageFormat format, int quality = 90, bool transparent = true)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(transparent ? SKColors.Transparent : SKColors.White);
            using var paint = new SKPaint { IsAntialias = true, Color = new SKColor(0xd9, 0x2b, 0x2b) };
            canvas.DrawCircle(height / 2f, height / 2f, height * 0.45f, paint);
            paint.Color = new SKColor(0x17, 0x20, 0x2b);
            for (var x = height; x < width - 10; x += Math.Max(8, width / 24))
            {
                canvas.DrawRect(x, height * 0.25f, Math.Max(4, width / 48), height * 0.5f, paint);
            }

            var random = new Random(7);
            for (var i = 0; i < width * height / 50; i++)
            {
                paint.Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                canvas.DrawPoint(random.Next(width), random.Next(height), paint);
            }
        }

        using var data = bitmap.Encode(format, quality);
        return data.ToArray();
    }

    public static byte[] Png(int width = 600, int height = 200) => Encode(width, height, SKEncodedImageFormat.Png);

    public static byte[] Jpeg(int width = 600, int height = 200) => Encode(width, height, SKEncodedImageFormat.Jpeg, transparent: false);

    public static byte[] WebP(int width = 600, int height = 200) => Encode(width, height, SKEncodedImageFormat.Webp);

    /// <summary>What a camera leaves in a JPEG: an EXIF segment naming the camera and a place.</summary>
    public const string ExifSecret = "SecretCam GPS 52.3702N 4.8952E";

    /// <summary>A JPEG with an EXIF (APP1) segment holding <see cref="ExifSecret"/> and a script appended after its end.</summary>
    public static byte[] JpegWithExifAndTrailer(int width = 900, int height = 300)
    {
        var jpeg = Jpeg(width, height);
        var text = Encoding.ASCII.GetBytes(ExifSecret + "\0");
        var tiff = new List<byte>();
        tiff.AddRange("II*\0"u8.ToArray());
        tiff.AddRange(BitConverter.GetBytes(8));
        tiff.AddRange(BitConverter.GetBytes((short)1));
        tiff.AddRange(BitConverter.GetBytes((short)0x010F));
        tiff.AddRange(BitConverter.GetBytes((short)2));
        tiff.AddRange(BitConverter.GetBytes(text.Length));
        tiff.AddRange(BitConverter.GetBytes(26));
        tiff.AddRange(BitConverter.GetBytes(0));
        tiff.AddRange(text);
        var payload = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        var segment = new byte[4 + payload.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(segment, 4);
        return [.. jpeg[..2], .. segment, .. jpeg[2..], .. Encoding.ASCII.GetBytes(Trailer)];
    }

    public const string Trailer = "<script>alert('hidden after the image')</script>";

    /// <summary>A valid little PNG whose header claims <paramref name="width"/> × <paramref name="height"/> (its CRC fixed), as a decompression bomb would.</summary>
    public static byte[] PngClaiming(int width, int height)
    {
        var png = Png(16, 16);
        // Signature (8), then the IHDR chunk: length (4), "IHDR" (4), width (4), height (4), ... , CRC.
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), height);
        var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(8));
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(16 + length), Crc32(png.AsSpan(12, 4 + length)));
        return png;
    }

    /// <summary>Half a JPEG: the header is fine, the pixels stop.</summary>
    public static byte[] TruncatedJpeg() { var jpeg = Jpeg(800, 400); return jpeg[..(jpeg.Length / 2)]; }

    public static byte[] HtmlPretendingToBePng() => Encoding.UTF8.GetBytes("<!DOCTYPE html><html><body><script>fetch('/admin/team')</script></body></html>");

    /// <summary>A PNG signature with HTML after it: passes a look at the first bytes, not a decoder.</summary>
    public static byte[] PngSignatureThenHtml() => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. HtmlPretendingToBePng()];

    public static byte[] Zip() => [0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0, .. Encoding.ASCII.GetBytes("logo.png"), .. new byte[64]];

    public static byte[] Svg() => Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"40\"><script>alert(1)</script><rect width=\"100\" height=\"40\"/></svg>");

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
