using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Marketplace.Tests.Infrastructure;

/// <summary>
/// The real host (<c>Program</c>) on Kestrel on a free port: silo, API, dashboard and health, in the
/// embedded profile. Tests talk to it over HTTP only. A fixture <see cref="OnTheApiTier"/> runs the
/// host as the deployment's API tier instead.
/// </summary>
public class HostFixture : WebApplicationFactory<Program>, IAsyncLifetime
{

    // Each host is a service of its own (its silo process behind the API tier included).
    private readonly string serviceId = Shop.NewId("host");
    private readonly int gatewayPort = Ports.Free();
    private SiloProcess? silo;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>The silo process behind the API tier (see <see cref="OnTheApiTier"/>); none for the in-process host.</summary>
    public SiloProcess? SiloBehind => silo;

    /// <summary>
    /// The host in the <c>api</c> role (an Orleans client, no silo) in front of a silo process in the
    /// <c>silo</c> role with the same <see cref="Settings"/>, both embedded (the client finds the
    /// silo's gateway on this machine): what the deployment's API tier is.
    /// </summary>
    protected virtual bool OnTheApiTier => false;

    public virtual async Task InitializeAsync()
    {
        if (OnTheApiTier)
        {
            silo = SiloProcess.Start(new Dictionary<string, string>(Settings)
            {
                ["Marketplace:Role"] = "silo",
                ["Orleans:GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
                ["Orleans:ServiceId"] = serviceId,
                ["Logging:LogLevel:Default"] = "Warning",
            });
            await silo.WaitReadyAsync();
        }

        UseKestrel(0);
        StartServer();
        Http = CreateClient();
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (silo is not null)
        {
            await silo.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Orleans:SiloPort", Ports.Free().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort", gatewayPort.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Marketplace:SeedDemoData", "false");
        builder.UseSetting("Orleans:ServiceId", serviceId);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        if (OnTheApiTier)
        {
            builder.UseSetting("Marketplace:Role", "api");
        }
    }

    /// <summary>Extra configuration for the host (and its silo process on the API tier); override to vary it.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    public async Task<T> GetAsync<T>(string path)
    {
        var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<T>(MarketplaceJson.Options))!;
    }

    public async Task<ProductSnapshot> PutProductAsync(string sku, decimal price, int stock)
    {
        var response = await Http.PutAsJsonAsync($"/api/products/{sku}", new { name = $"Product {sku}", price, stock });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ProductSnapshot>(MarketplaceJson.Options))!;
    }

    /// <summary>Places an order for one unit of <paramref name="sku"/> (202) and returns its id.</summary>
    public async Task<string> PlaceOrderAsync(string customerId, string sku)
    {
        var response = await Http.PostAsJsonAsync("/api/orders", OrderBody(customerId, sku));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<OrderSnapshot>(MarketplaceJson.Options))!.OrderId;
    }

    public static object OrderBody(string customerId, string sku, int quantity = 1, string token = PaymentTokens.Visa) => new
    {
        customerId,
        items = new[] { new { sku, quantity } },
        paymentToken = token,
        shippingAddress = new { name = "Grace Hopper", line1 = "1 Compiler Street", city = "Arlington", postalCode = "22201", country = "US" },
    };
}
