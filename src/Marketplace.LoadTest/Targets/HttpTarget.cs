using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Marketplace.LoadTest.Invariants;

namespace Marketplace.LoadTest.Targets;

/// <summary>
/// A running host, through API.md only. Checkout is asynchronous, so conclusions are found by
/// reading outstanding orders; the latency is the order's own <c>placedAt</c> → <c>updatedAt</c>.
/// </summary>
public sealed class HttpTarget : IMarketplaceTarget, IMarketplaceView
{
    /// <summary>API.md's JSON: camelCase, enums as names.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private static readonly TimeSpan PollPeriod = TimeSpan.FromMilliseconds(100);
    private const int ReadsInFlight = 16;

    private readonly HttpClient http;
    private readonly ConcurrentDictionary<string, byte> outstanding = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly Task polling;

    public HttpTarget(Uri baseAddress)
    {
        http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        polling = PollAsync(stopping.Token);
    }

    public string Mode => "event-driven";

    public IMarketplaceView View => this;

    public ConsumerTimings? ConsumerTimings => null;

    public event Action<TimeSpan>? Concluded;

    public async Task UpsertProductAsync(PlannedProduct product)
    {
        using var response = await http.PutAsJsonAsync($"api/products/{product.Sku}", new { product.Name, product.Price, product.Stock }, Json);
        await EnsureAsync(response);
    }

    public async Task<string> PlaceAsync(PlannedOrder order, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/orders") { Content = JsonContent.Create(order.Command, options: Json) };
        request.Headers.Add("Idempotency-Key", order.Key);
        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureAsync(response);
        var placed = (await response.Content.ReadFromJsonAsync<OrderSnapshot>(Json, cancellationToken))!;
        outstanding[placed.OrderId] = 0;
        return placed.OrderId;
    }

    public Task<OrderSnapshot?> GetOrderAsync(string orderId) => GetOrNullAsync<OrderSnapshot>($"api/orders/{orderId}");

    public Task<PaymentSnapshot?> GetPaymentAsync(string orderId) => GetOrNullAsync<PaymentSnapshot>($"api/payments/{orderId}");

    public Task<ShipmentSnapshot?> GetShipmentAsync(string orderId) => GetOrNullAsync<ShipmentSnapshot>($"api/shipments/{orderId}");

    public Task<ProductSnapshot?> GetProductAsync(string sku) => GetOrNullAsync<ProductSnapshot>($"api/products/{sku}");

    public async Task<LoyaltySnapshot> GetLoyaltyAsync(string customerId) =>
        (await http.GetFromJsonAsync<LoyaltySnapshot>($"api/customers/{customerId}/loyalty", Json))!;

    public async Task<IReadOnlyList<Notification>> GetNotificationsAsync(string customerId) =>
        (await http.GetFromJsonAsync<List<Notification>>($"api/customers/{customerId}/notifications", Json))!;

    public async Task<SalesReport> GetSalesReportAsync() => (await http.GetFromJsonAsync<SalesReport>("api/reports/sales", Json))!;

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await polling.ContinueWith(_ => { }, TaskScheduler.Default);
        stopping.Dispose();
        http.Dispose();
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(PollPeriod);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            await Parallel.ForEachAsync(outstanding.Keys, new ParallelOptions { MaxDegreeOfParallelism = ReadsInFlight, CancellationToken = cancellationToken }, async (id, ct) =>
            {
                if (await GetOrderAsync(id) is { Status: not OrderStatus.Placed } order && outstanding.TryRemove(id, out _))
                {
                    Concluded?.Invoke(order.UpdatedAt - order.PlacedAt);
                }
            });
        }
    }

    private async Task<T?> GetOrNullAsync<T>(string path) where T : class
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureAsync(response);
        return await response.Content.ReadFromJsonAsync<T>(Json);
    }

    private static async Task EnsureAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri}: {await response.Content.ReadAsStringAsync()}", null, response.StatusCode);
        }
    }
}
