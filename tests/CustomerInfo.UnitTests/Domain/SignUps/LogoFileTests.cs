using System.Text;
using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.UnitTests.Domain.SignUps;

public class LogoFileTests
{
    public static TheoryData<string, byte[], LogoFileKind> Files => new()
    {
        { "png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], LogoFileKind.Png },
        { "jpeg", [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F'], LogoFileKind.Jpeg },
        { "webp", Encoding.ASCII.GetBytes("RIFF\x10\0\0\0WEBPVP8 "), LogoFileKind.WebP },
        { "empty", [], LogoFileKind.Empty },
        { "svg", Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"), LogoFileKind.Svg },
        { "svg with bom and spaces", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("  \n<SVG viewBox='0 0 1 1'/>")], LogoFileKind.Svg },
        { "html named logo.png", Encoding.UTF8.GetBytes("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"), LogoFileKind.Html },
        { "zip", [0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0], LogoFileKind.Zip },
        { "gif", Encoding.ASCII.GetBytes("GIF89a\x01\0\x01\0"), LogoFileKind.Gif },
        { "text", Encoding.UTF8.GetBytes("just some text"), LogoFileKind.Unknown },
        { "riff that is not webp", Encoding.ASCII.GetBytes("RIFF\x10\0\0\0WAVEfmt "), LogoFileKind.Unknown },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void The_type_is_read_from_the_first_bytes(string what, byte[] bytes, LogoFileKind expected)
    {
        LogoFile.Sniff(bytes).ShouldBe(expected, what);
        LogoFile.IsAccepted(expected).ShouldBe(expected is LogoFileKind.Png or LogoFileKind.Jpeg or LogoFileKind.WebP, what);
    }
}
