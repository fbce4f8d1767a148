namespace CustomerInfo.EndToEndTests.Browser;

/// <summary>A screen a page is shown on: its CSS size and whether it is a touch device.</summary>
public sealed record Screen(string Name, int Width, int Height, bool IsTouch)
{
    public static readonly Screen Desktop = new("desktop", 1280, 800, IsTouch: false);

    /// <summary>The store's tablet on the counter, portrait.</summary>
    public static readonly Screen Tablet = new("tablet", 768, 1024, IsTouch: true);

    /// <summary>The store's tablet on the counter, landscape.</summary>
    public static readonly Screen TabletLandscape = new("tablet-landscape", 1024, 768, IsTouch: true);

    /// <summary>A small phone, the narrowest screen we lay out for.</summary>
    public static readonly Screen Phone = new("phone", 360, 640, IsTouch: true);
}
