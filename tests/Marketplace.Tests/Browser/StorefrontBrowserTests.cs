using Microsoft.Playwright;

namespace Marketplace.Tests.Browser;

/// <summary>
/// The pages at "/" in headless Chromium, as a shopper and an operator use them: checkout through
/// the page, the live order view reaching its end without a reload, validation messages from the
/// API, the operations view; a screenshot of each page.
/// </summary>
public sealed class StorefrontBrowserTests(BrowserFixture host) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_order_placed_through_the_page_is_watched_live_to_fulfilled_without_a_reload()
    {
        var (page, sku) = await StoreWithProductAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("store.png"), FullPage = true });

        var orderId = await CheckoutAsync(page, sku, "Visa (approved)");

        await Assertions.Expect(page.Locator("[data-status]")).ToHaveTextAsync("Fulfilled", new() { Timeout = 30_000 });
        Assert.Equal(1, await page.EvaluateAsync<int>("window.__sameDocument")); // no reload: the same document saw it all
        await Assertions.Expect(page.Locator("li[data-type*='fulfilled' i]")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Captured,")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Assertions.Expect(page.GetByText("tracking")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("order-fulfilled.png"), FullPage = true });

        // The operations view lists it.
        await page.GotoAsync("/#/ops");
        await Assertions.Expect(page.Locator($"tr[data-order='{orderId}']")).ToContainTextAsync("Fulfilled");
        await Assertions.Expect(page.Locator("[data-count=fulfilled]")).Not.ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("tr[data-silo]")).ToContainTextAsync("Active"); // and the silo, reading its queues
        await Assertions.Expect(page.Locator("tr[data-silo]")).ToContainTextAsync("0, 1, 2, 3, 4, 5, 6, 7");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("operations.png"), FullPage = true });
    }

    [Fact]
    public async Task A_declined_card_ends_cancelled_with_the_reason()
    {
        var (page, sku) = await StoreWithProductAsync();

        await CheckoutAsync(page, sku, "Declined card");

        await Assertions.Expect(page.Locator("[data-status]")).ToHaveTextAsync("Cancelled", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByText("because of payment-declined")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("order-cancelled.png"), FullPage = true });
    }

    [Fact]
    public async Task Checkout_shows_the_apis_validation_messages_next_to_their_fields_and_places_nothing()
    {
        var (page, sku) = await StoreWithProductAsync(phone: true);
        await page.Locator($"tr[data-sku='{sku}']").GetByRole(AriaRole.Button, new() { Name = "Add to cart" }).ClickAsync();
        await page.GetByLabel("Country (2 letters)").FillAsync("nl");

        await page.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();

        await Assertions.Expect(page.Locator("#e-name")).ToHaveTextAsync("'name' is required: 1-200 characters, no control characters.");
        await Assertions.Expect(page.Locator("#e-country")).ToContainTextAsync("ISO 3166");
        await Assertions.Expect(page.GetByLabel("Full name")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The request is invalid");
        Assert.EndsWith("/", new Uri(page.Url).AbsolutePath); // still on the store: nothing was placed
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("store-phone-validation.png"), FullPage = true });
    }

    [Fact]
    public async Task The_store_works_from_the_keyboard()
    {
        var (page, sku) = await StoreWithProductAsync();
        var add = page.Locator($"tr[data-sku='{sku}']").GetByRole(AriaRole.Button, new() { Name = "Add to cart" });
        await add.FocusAsync();

        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Remove Product {sku}" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#announcer")).ToContainTextAsync("added to the cart");
    }

    private async Task<(IPage Page, string Sku)> StoreWithProductAsync(bool phone = false)
    {
        var sku = Shop.NewId("WEB");
        await host.PutProductAsync(sku, 12.5m, 20);
        var page = await host.NewPageAsync(phone);
        await page.GotoAsync("/");
        await page.GetByLabel("Customer id").FillAsync(Shop.NewId("shopper"));
        await page.GetByLabel("Customer id").DispatchEventAsync("change");
        await Assertions.Expect(page.Locator($"tr[data-sku='{sku}']")).ToBeVisibleAsync();
        return (page, sku);
    }

    /// <summary>Cart, address, payment, submit; returns the order id the page moved to.</summary>
    private static async Task<string> CheckoutAsync(IPage page, string sku, string payment)
    {
        await page.Locator($"tr[data-sku='{sku}']").GetByRole(AriaRole.Button, new() { Name = "Add to cart" }).ClickAsync();
        await page.GetByLabel("Payment").SelectOptionAsync(new SelectOptionValue { Label = payment });
        await page.GetByLabel("Full name").FillAsync("Grace Hopper");
        await page.GetByLabel("Address").FillAsync("1 Compiler Street");
        await page.GetByLabel("City").FillAsync("Arlington");
        await page.GetByLabel("Postal code").FillAsync("22201");
        await page.GetByLabel("Country (2 letters)").FillAsync("US");
        await page.EvaluateAsync("window.__sameDocument = 1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();

        // The page moves to the order once the API has answered 202, or shows the problem it got.
        await page.WaitForFunctionAsync("() => location.hash.startsWith('#/orders/') || document.querySelector('#checkout-problem .problem')", null, new() { Timeout = 60_000 });
        if (!page.Url.Contains("#/orders/", StringComparison.Ordinal))
        {
            Assert.Fail($"checkout did not go through: {await page.Locator("#checkout-problem").InnerTextAsync()}");
        }

        return page.Url.Split("#/orders/")[1];
    }

    private static string Screenshot(string name) => Path.Combine(BrowserFixture.Screenshots, name);
}
