using Microsoft.Extensions.Options;

namespace Marketplace.Silo.Hosting;

/// <summary>Puts a small demo catalog in place when <c>Marketplace:SeedDemoData</c> is true.</summary>
public sealed partial class DemoCatalogSeeder(IGrainFactory grains, IOptions<MarketplaceOptions> options, ILogger<DemoCatalogSeeder> logger)
    : IHostedService
{
    public static readonly ImmutableArray<(string Sku, string Name, decimal Price, int Stock)> Products =
    [
        ("KEYBOARD-01", "Mechanical keyboard", 89.00m, 100),
        ("MOUSE-01", "Wireless mouse", 29.50m, 200),
        ("MONITOR-27", "27-inch monitor", 249.99m, 25),
        ("HEADSET-01", "Noise-cancelling headset", 149.00m, 40),
        ("CABLE-USBC", "USB-C cable", 9.99m, 500),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.SeedDemoData)
        {
            return;
        }

        foreach (var (sku, name, price, stock) in Products)
        {
            var product = grains.GetGrain<IProductGrain>(sku);
            if (await product.GetAsync() is null)
            {
                await product.UpsertAsync(name, price, stock);
            }
        }

        LogSeeded(Products.Length);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo catalog in place: {Count} products")]
    private partial void LogSeeded(int count);
}
