using CustomerInfo.Application.Brand;
using CustomerInfo.Domain.SignUps;
using SkiaSharp;

namespace CustomerInfo.Infrastructure.Brand;

/// <summary>
/// The upload's header is read first (SKCodec): its format must be the one its bytes named, and its
/// dimensions within <see cref="LogoFile.MaxSide"/> and <see cref="LogoFile.MaxPixels"/>, before a
/// pixel is decoded. It is then decoded whole (an incomplete file is refused), turned upright by its
/// EXIF orientation, scaled down (never up) to the kiosk header's 1× and 2× sizes and encoded as
/// WebP, lowering the quality until each rendition fits <see cref="LogoFile.MaxStoredBytes"/>. Only
/// pixels survive: no metadata, nothing appended.
/// </summary>
internal sealed class SkiaLogoRenderer : ILogoRenderer
{
    private static readonly int[] Qualities = [90, 80, 70, 60, 50, 40, 30];

    public LogoRendering Render(ReadOnlySpan<byte> file, LogoFileKind kind, DateTimeOffset now)
    {
        using var data = SKData.CreateCopy(file);
        using var codec = SKCodec.Create(data);
        if (codec is null || codec.EncodedFormat != Expected(kind))
        {
            return LogoRendering.Refused(LogoProblem.Unreadable);
        }

        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0 || width > LogoFile.MaxSide || height > LogoFile.MaxSide || (long)width * height > LogoFile.MaxPixels)
        {
            return LogoRendering.Refused(LogoProblem.TooManyPixels);
        }

        using var decoded = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var result = codec.GetPixels(decoded.Info, decoded.GetPixels());
        if (result is not SKCodecResult.Success)
        {
            return LogoRendering.Refused(LogoProblem.Unreadable);
        }

        using var upright = Upright(decoded, codec.EncodedOrigin);
        var standard = Scale(upright, 1);
        var hiDpi = Scale(upright, 2);
        var first = Encode(upright, standard, now);
        if (first is null)
        {
            return LogoRendering.Refused(LogoProblem.CannotFit);
        }

        // A 2× rendition only when the upload has more pixels than the 1× one.
        var second = hiDpi.Width > standard.Width ? Encode(upright, hiDpi, now) : null;
        return new LogoRendering(new LogoRenditions(first, second), null);
    }

    private static SKEncodedImageFormat Expected(LogoFileKind kind) => kind switch
    {
        LogoFileKind.Png => SKEncodedImageFormat.Png,
        LogoFileKind.Jpeg => SKEncodedImageFormat.Jpeg,
        LogoFileKind.WebP => SKEncodedImageFormat.Webp,
        _ => (SKEncodedImageFormat)(-1),
    };

    /// <summary>The pixel size at <paramref name="density"/>: the header's height and widest, keeping the aspect ratio, never larger than the upload.</summary>
    private static SKSizeI Scale(SKBitmap source, int density)
    {
        var scale = Math.Min(1.0, Math.Min((double)LogoFile.HeaderHeight * density / source.Height, (double)LogoFile.HeaderMaxWidth * density / source.Width));
        return new SKSizeI(Math.Max(1, (int)Math.Round(source.Width * scale)), Math.Max(1, (int)Math.Round(source.Height * scale)));
    }

    private static BrandImage? Encode(SKBitmap source, SKSizeI size, DateTimeOffset now)
    {
        using var resized = size.Width == source.Width && size.Height == source.Height
            ? source.Copy()
            : source.Resize(new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul), new SKSamplingOptions(SKCubicResampler.Mitchell));
        if (resized is null)
        {
            return null;
        }

        using var pixels = resized.PeekPixels();
        foreach (var quality in Qualities)
        {
            using var encoded = pixels.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, quality));
            if (encoded is not null && encoded.Size <= LogoFile.MaxStoredBytes)
            {
                var bytes = encoded.ToArray();
                return new BrandImage(BrandImage.FingerprintOf(bytes), "image/webp", bytes, size.Width, size.Height, now);
            }
        }

        return null;
    }

    /// <summary>The decoded pixels turned as the EXIF orientation says, since the orientation itself is dropped with the metadata.</summary>
    private static SKBitmap Upright(SKBitmap source, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft or SKEncodedOrigin.Default)
        {
            return source.Copy();
        }

        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (w, h) = swap ? (source.Height, source.Width) : (source.Width, source.Height);
        var turned = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(turned);
        canvas.SetMatrix(origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, w, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, w, -1, 0, h, 0, 0, 1),
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, h, 0, 0, 1),
            _ => SKMatrix.Identity,
        });
        using var image = SKImage.FromBitmap(source);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest), null);
        return turned;
    }
}
