namespace CustomerInfo.EndToEndTests.Browser;

/// <summary>
/// One headless Chromium for the whole run (Debian's, not a downloaded build; see
/// docs/decisions/0004-browser-tests-with-playwright.md). Each test gets its own context from
/// <see cref="NewContextAsync"/>, so cookies and storage never leak from one test to the next.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Set this to use another Chromium than Debian's (e.g. on a developer's Mac).</summary>
    public const string ChromiumVariable = "CUSTOMERINFO_CHROMIUM";
    public const string DefaultChromium = "/usr/bin/chromium";
    public const string DefaultLocale = "en-GB";

    // Generous but bounded: a busy 2-core CI machine is slow, a hung browser still fails the test.
    public const float ActionTimeout = 15_000;
    public const float NavigationTimeout = 30_000;
    public const float ExpectTimeout = 10_000;

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ];

    private IPlaywright? playwright;
    private IBrowser? browser;

    public IBrowser Browser => browser ?? throw new InvalidOperationException("The browser has not been started.");

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } path ? path : DefaultChromium;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is not at {ChromiumPath}: install it (Debian: apt-get install -y chromium; ./build.sh test does this) or set {ChromiumVariable}.");
        }

        Assertions.SetDefaultExpectTimeout(ExpectTimeout);
        playwright = await Playwright.CreateAsync();
        try
        {
            browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ChromiumArgs,
                Timeout = NavigationTimeout,
            });
        }
        catch
        {
            playwright.Dispose();
            playwright = null;
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        // Closing the browser ends every Chromium process; disposing Playwright ends its node driver.
        if (browser is not null)
        {
            await browser.CloseAsync();
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
    }

    /// <summary>
    /// A fresh, isolated browser profile (cookies, storage, service workers) sized as <paramref name="screen"/>,
    /// whose browser asks for <paramref name="locale"/> (its Accept-Language and <c>navigator.language</c>).
    /// </summary>
    public async Task<IBrowserContext> NewContextAsync(Screen screen, string locale = DefaultLocale)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = screen.Width, Height = screen.Height },
            IsMobile = screen.IsTouch,
            HasTouch = screen.IsTouch,
            Locale = locale,
            TimezoneId = "Europe/Amsterdam",
            ServiceWorkers = ServiceWorkerPolicy.Allow,
        });
        context.SetDefaultTimeout(ActionTimeout);
        context.SetDefaultNavigationTimeout(NavigationTimeout);
        return context;
    }
}

/// <summary>Every browser test class is in this collection: they share the one browser and run one after another.</summary>
[CollectionDefinition(Collection)]
public sealed class SharedBrowser : ICollectionFixture<BrowserFixture>
{
    public const string Collection = "Browser";
}
