using System.Text;
using CustomerInfo.Application.Brand;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Infrastructure.Brand;
using CustomerInfo.TestSupport;
using SkiaSharp;

namespace CustomerInfo.UnitTests.Infrastructure.Brand;

public class SkiaLogoRendererTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static LogoRendering Render(byte[] file) => new SkiaLogoRenderer().Render(file, LogoFile.Sniff(file), Now);

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    [InlineData("webp")]
    public void Each_accepted_format_becomes_webp_renditions_at_the_headers_1x_and_2x_height(string format)
    {
        var file = format switch { "png" => TestImages.Png(600, 200), "jpeg" => TestImages.Jpeg(600, 200), _ => TestImages.WebP(600, 200) };

        var renditions = Render(file).Renditions.ShouldNotBeNull();

        renditions.Standard.ContentType.ShouldBe("image/webp");
        LogoFile.Sniff(renditions.Standard.Bytes).ShouldBe(LogoFileKind.WebP);
        (renditions.Standard.Width, renditions.Standard.Height).ShouldBe((168, 56));
        var hiDpi = renditions.HiDpi.ShouldNotBeNull();
        (hiDpi.Width, hiDpi.Height).ShouldBe((336, 112));
        renditions.Standard.Bytes.Length.ShouldBeLessThanOrEqualTo(LogoFile.MaxStoredBytes);
        hiDpi.Bytes.Length.ShouldBeLessThanOrEqualTo(LogoFile.MaxStoredBytes);
        renditions.Standard.Id.ShouldBe(BrandImage.FingerprintOf(renditions.Standard.Bytes));
        renditions.Logo.ShouldBe(new BrandLogo(renditions.Standard.Id, 168, 56) { HiDpiFingerprint = hiDpi.Id });
    }

    [Fact]
    public void A_wide_wordmark_is_held_to_the_headers_widest_keeping_its_aspect_ratio()
    {
        var renditions = Render(TestImages.Png(2000, 100)).Renditions.ShouldNotBeNull();

        (renditions.Standard.Width, renditions.Standard.Height).ShouldBe((320, 16));
        (renditions.HiDpi!.Width, renditions.HiDpi.Height).ShouldBe((640, 32));
    }

    [Fact]
    public void A_small_logo_is_never_upscaled_and_gets_no_2x_rendition()
    {
        var renditions = Render(TestImages.Png(90, 30)).Renditions.ShouldNotBeNull();

        (renditions.Standard.Width, renditions.Standard.Height).ShouldBe((90, 30));
        renditions.HiDpi.ShouldBeNull();
        renditions.Logo.SrcSet.ShouldBeNull();
    }

    [Fact]
    public void Exif_and_bytes_appended_after_the_image_do_not_survive()
    {
        var file = TestImages.JpegWithExifAndTrailer();
        Encoding.ASCII.GetString(file).ShouldContain(TestImages.ExifSecret);

        var renditions = Render(file).Renditions.ShouldNotBeNull();

        foreach (var image in new[] { renditions.Standard, renditions.HiDpi! })
        {
            var text = Encoding.ASCII.GetString(image.Bytes);
            text.ShouldNotContain("SecretCam");
            text.ShouldNotContain("Exif");
            text.ShouldNotContain("script");
            using var codec = SKCodec.Create(new MemoryStream(image.Bytes));
            codec.EncodedFormat.ShouldBe(SKEncodedImageFormat.Webp);
        }
    }

    [Fact]
    public void A_20000_by_20000_png_is_refused_from_its_header_without_being_decoded()
    {
        var bomb = TestImages.PngClaiming(20_000, 20_000);
        bomb.Length.ShouldBeLessThan(2_000);
        using (var codec = SKCodec.Create(new MemoryStream(bomb)))
        {
            (codec.Info.Width, codec.Info.Height).ShouldBe((20_000, 20_000));
        }

        // Decoding would allocate 1.6 GB; the refusal comes back without that.
        var before = GC.GetTotalAllocatedBytes(precise: true);
        Render(bomb).Problem.ShouldBe(LogoProblem.TooManyPixels);
        (GC.GetTotalAllocatedBytes(precise: true) - before).ShouldBeLessThan(10_000_000);
    }

    [Theory]
    [InlineData(4097, 10)]
    [InlineData(10, 4097)]
    [InlineData(4096, 4096)]
    public void Images_over_4096_pixels_a_side_or_16_megapixels_are_refused(int width, int height)
    {
        var tooBig = (long)width * height > LogoFile.MaxPixels || width > LogoFile.MaxSide || height > LogoFile.MaxSide;
        var result = Render(TestImages.PngClaiming(width, height));
        if (tooBig)
        {
            result.Problem.ShouldBe(LogoProblem.TooManyPixels);
        }
        else
        {
            // Within the limits the header passes; the 16×16 pixels behind it then fail to decode.
            result.Problem.ShouldBe(LogoProblem.Unreadable);
        }
    }

    [Fact]
    public void A_truncated_jpeg_is_refused_as_unreadable() => Render(TestImages.TruncatedJpeg()).Problem.ShouldBe(LogoProblem.Unreadable);

    [Fact]
    public void A_png_signature_with_html_behind_it_is_refused_as_unreadable() => Render(TestImages.PngSignatureThenHtml()).Problem.ShouldBe(LogoProblem.Unreadable);

    [Fact]
    public void A_file_whose_decoder_disagrees_with_its_first_bytes_is_refused()
    {
        var jpeg = TestImages.Jpeg(100, 50);
        new SkiaLogoRenderer().Render(jpeg, LogoFileKind.Png, Now).Problem.ShouldBe(LogoProblem.Unreadable);
    }
}
