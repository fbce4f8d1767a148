using CustomerInfo.TestSupport;

namespace CustomerInfo.EndToEndTests.Browser;

/// <summary>
/// The base of every browser test class: the app on a real socket with its own database (one per
/// class, emptied before each test), and fresh browser contexts per test, closed after it.
/// A test class needs only <c>[Collection(SharedBrowser.Collection)]</c> and this base class;
/// it adds its data in <see cref="ArrangeAsync"/>. A test fails if a page threw an uncaught
/// script error or broke the Content-Security-Policy (issue 14: a violation is a blocked script,
/// style or frame, so a page that still "works" may be unstyled).
/// </summary>
public abstract class BrowserTest(BrowserFixture browser, KestrelAppFactory app) : IClassFixture<KestrelAppFactory>, IAsyncLifetime
{
    private readonly List<IBrowserContext> contexts = [];
    private readonly List<string> scriptErrors = [];
    private readonly List<string> policyViolations = [];

    /// <summary>Reports each violation, in every frame, on the console, where Chromium reports its own too.</summary>
    private const string ReportViolations =
        "document.addEventListener('securitypolicyviolation', e => console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' on ' + e.documentURI));";

    protected KestrelAppFactory App => app;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await ArrangeAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var context in contexts)
        {
            await context.CloseAsync();
        }

        scriptErrors.ShouldBeEmpty("a page threw a script error");
        policyViolations.ShouldBeEmpty("a page broke the Content-Security-Policy");
    }

    /// <summary>The Content-Security-Policy violations every page of this test reported so far.</summary>
    protected IReadOnlyList<string> PolicyViolations => policyViolations;

    /// <summary>Forgets the violations so far: for a test that provokes one on purpose.</summary>
    protected void ForgetPolicyViolations()
    {
        lock (policyViolations)
        {
            policyViolations.Clear();
        }
    }

    /// <summary>The data every test of the class starts from (the database is empty before it).</summary>
    protected virtual Task ArrangeAsync() => Task.CompletedTask;

    /// <summary>A new page in a new, isolated context (its own cookies and storage) on <paramref name="screen"/>.</summary>
    protected async Task<IPage> NewPageAsync(Screen? screen = null, string locale = BrowserFixture.DefaultLocale)
    {
        var context = await browser.NewContextAsync(screen ?? Screen.Desktop, locale);
        contexts.Add(context);
        context.WebError += (_, error) => scriptErrors.Add($"{error.Page?.Url}: {error.Error}");
        await context.AddInitScriptAsync(ReportViolations);
        context.Console += (_, message) =>
        {
            if (message.Type == "error" && (message.Text.StartsWith("CSP violation", StringComparison.Ordinal) || message.Text.Contains("Content Security Policy", StringComparison.Ordinal)))
            {
                lock (policyViolations)
                {
                    policyViolations.Add($"{message.Page?.Url}: {message.Text}");
                }
            }
        };
        return await context.NewPageAsync();
    }

    /// <summary>Opens <paramref name="url"/> in a new page and checks the HTTP status it answered with.</summary>
    protected async Task<IPage> OpenAsync(Uri url, Screen? screen = null, int status = 200)
    {
        var page = await NewPageAsync(screen);
        await GoAsync(page, url, status);
        return page;
    }

    /// <summary>
    /// A new page on which the team member <paramref name="email"/> (password <see cref="Members.Password"/>)
    /// signed in at <paramref name="signIn"/>, a store's <c>/admin/signin</c>, and reached the admin.
    /// </summary>
    protected async Task<IPage> SignInAsync(Uri signIn, string email, Screen? screen = null)
    {
        var admin = await OpenAsync(signIn, screen);
        await admin.GetByLabel("Email").FillAsync(email);
        await admin.GetByLabel("Password").FillAsync(Members.Password);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await admin.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
        await Expect(admin.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        return admin;
    }

    /// <summary>Navigates <paramref name="page"/> to <paramref name="url"/> and checks the status.</summary>
    protected static async Task GoAsync(IPage page, Uri url, int status = 200)
    {
        var response = await page.GotoAsync(url.ToString());
        response.ShouldNotBeNull($"no response from {url}").Status.ShouldBe(status, $"status of {url}");
    }

    /// <summary>Saves <c>TestResults/screenshots/{name}.png</c>: the whole page, or only the screen (fixed badges, dialogs).</summary>
    protected static Task<string> ScreenshotAsync(IPage page, string name, bool fullPage = true) => Screenshots.SaveAsync(page, name, fullPage);

    /// <summary>Opens <paramref name="url"/> on each screen, saves <c>{name}-{screen}.png</c> for each and returns the pages.</summary>
    protected async Task<IReadOnlyList<IPage>> ScreenshotsAsync(Uri url, string name, params Screen[] screens)
    {
        var pages = new List<IPage>();
        foreach (var screen in screens)
        {
            var page = await NewPageAsync(screen);
            var response = await page.GotoAsync(url.ToString());
            response.ShouldNotBeNull($"no response from {url}");
            await Screenshots.SaveAsync(page, $"{name}-{screen.Name}");
            pages.Add(page);
        }

        return pages;
    }
}
