using Microsoft.Playwright;

namespace Marketplace.Tests.Browser;

/// <summary>
/// The real host (embedded profile) with a catalog, and Debian's headless Chromium driven by
/// Playwright. Screenshots of each page go to TestResults/screenshots for reviewers.
/// </summary>
public sealed class BrowserFixture : HostFixture
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static string Screenshots { get; } = Path.Combine(Azurite.RepoRoot(), "TestResults", "screenshots");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"The browser tests need Chromium at {ChromiumPath}: run tests/install-chromium.sh as root, or apt-get install chromium.");
        }

        Directory.CreateDirectory(Screenshots);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox"], // CI runs as root, where Chromium's sandbox refuses to start
        });
    }

    public override async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>A fresh page (its own storage) on the host, at a desktop or a phone's width.</summary>
    public async Task<IPage> NewPageAsync(bool phone = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Http.BaseAddress!.ToString(),
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
        });
        return await context.NewPageAsync();
    }
}
