namespace CustomerInfo.EndToEndTests.Browser;

/// <summary>Screenshots for people to look at: <c>TestResults/screenshots/{name}.png</c> under the repository root.</summary>
public static class Screenshots
{
    public static string Folder { get; } = Path.Combine(RepositoryRoot(), "TestResults", "screenshots");

    /// <summary>Saves the whole page (or, with <paramref name="fullPage"/> false, what the screen shows) and returns the file's path.</summary>
    public static async Task<string> SaveAsync(IPage page, string name, bool fullPage = true)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage, Animations = ScreenshotAnimations.Disabled });
        return path;
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "CustomerInfo.sln")))
            {
                return folder.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
