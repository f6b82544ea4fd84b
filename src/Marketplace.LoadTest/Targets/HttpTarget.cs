using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Marketplace.LoadTest.Invariants;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Marketplace.LoadTest.Targets;

/// <summary>
/// A running host, through API.md only. Checkout is asynchronous, so conclusions are found by
/// reading the orders placed; the latency is the order's own <c>placedAt</c> → <c>updatedAt</c>.
/// Each order is read when it may have concluded and then less and less often, so the reads stay a
/// few per order however many are in flight: the host is measured, not flooded.
/// </summary>
public sealed class HttpTarget : IMarketplaceTarget, IMarketplaceView
{
    private static readonly TimeSpan PollPeriod = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan FirstRead = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(2);
    private const int ReadsInFlight = 16;

    private readonly HttpClient http;
    private readonly ConcurrentDictionary<string, NextRead> outstanding = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly Task polling;

    /// <param name="apiKey">Sent as <c>X-Api-Key</c> on every request, for a host in <c>apikey</c> mode (an admin key: it seeds the catalog too).</param>
    public HttpTarget(Uri baseAddress, string? apiKey = null)
    {
        http = new HttpClient(new ResilienceHandler(ReadRetries()) { InnerHandler = new SocketsHttpHandler { MaxConnectionsPerServer = 256 } })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromMinutes(2),
        };
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        polling = PollAsync(stopping.Token);
    }

    public string Mode => "event-driven";

    public IReadOnlyDictionary<string, long> LargestStoredStates() => new Dictionary<string, long>();

    public IMarketplaceView View => this;

    public ConsumerTimings? ConsumerTimings => null;

    public GrainCallCounter? GrainCalls => null;

    public event Action<TimeSpan>? Concluded;

    public async Task UpsertProductAsync(PlannedProduct product)
    {
        using var response = await http.PutAsJsonAsync($"api/products/{product.Sku}", new { product.Name, product.Price, product.Stock }, MarketplaceJson.Options);
        await EnsureAsync(response);
    }

    public async Task<string> PlaceAsync(PlannedOrder order, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/orders") { Content = JsonContent.Create(order.Command, options: MarketplaceJson.Options) };
        request.Headers.Add("Idempotency-Key", order.Key);
        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureAsync(response);
        var placed = (await response.Content.ReadFromJsonAsync<OrderSnapshot>(MarketplaceJson.Options, cancellationToken))!;
        outstanding[placed.OrderId] = new NextRead(DateTime.UtcNow + FirstRead, FirstRead);
        return placed.OrderId;
    }

    public Task<OrderSnapshot?> GetOrderAsync(string orderId) => GetOrNullAsync<OrderSnapshot>($"api/orders/{orderId}");

    public Task<PaymentSnapshot?> GetPaymentAsync(string orderId) => GetOrNullAsync<PaymentSnapshot>($"api/payments/{orderId}");

    public Task<ShipmentSnapshot?> GetShipmentAsync(string orderId) => GetOrNullAsync<ShipmentSnapshot>($"api/shipments/{orderId}");

    public Task<ProductSnapshot?> GetProductAsync(string sku) => GetOrNullAsync<ProductSnapshot>($"api/products/{sku}");

    public async Task<LoyaltySnapshot> GetLoyaltyAsync(string customerId) =>
        (await http.GetFromJsonAsync<LoyaltySnapshot>($"api/customers/{customerId}/loyalty", MarketplaceJson.Options))!;

    public async Task<IReadOnlyList<Notification>> GetNotificationsAsync(string customerId) =>
        (await http.GetFromJsonAsync<List<Notification>>($"api/customers/{customerId}/notifications", MarketplaceJson.Options))!;

    public async Task<SalesReport> GetSalesReportAsync() => (await http.GetFromJsonAsync<SalesReport>("api/reports/sales", MarketplaceJson.Options))!;

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
            var now = DateTime.UtcNow;
            var due = outstanding.Where(p => p.Value.At <= now).Select(p => p.Key).ToList();
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = ReadsInFlight, CancellationToken = cancellationToken }, async (id, ct) =>
            {
                if (await ReadOrNullAsync(id) is { } order && order.Status.IsConcluded())
                {
                    if (outstanding.TryRemove(id, out _))
                    {
                        Concluded?.Invoke(order.UpdatedAt - order.PlacedAt);
                    }
                }
                else if (outstanding.TryGetValue(id, out var last))
                {
                    var wait = last.Wait * 2 < LongestWait ? last.Wait * 2 : LongestWait;
                    outstanding[id] = new NextRead(DateTime.UtcNow + wait, wait);
                }
            });
        }
    }

    /// <summary>
    /// An order as read now, or null when the read failed (a silo dying under it answers 500 or
    /// times out): the order is read again later, and the polling goes on for every other order.
    /// </summary>
    private async Task<OrderSnapshot?> ReadOrNullAsync(string orderId)
    {
        try
        {
            return await GetOrderAsync(orderId);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads are retried while the service cannot answer for a moment (a 503 while a silo is lost, a
    /// timeout), backing off, for about a minute: long enough for a lost silo's grains to move. A
    /// checkout is not retried here: the load runner retries it under its idempotency key.
    /// </summary>
    private static ResiliencePipeline<HttpResponseMessage> ReadRetries()
    {
        var retry = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = 16,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(250),
            MaxDelay = TimeSpan.FromSeconds(4),
            UseJitter = true,
        };
        retry.DisableForUnsafeHttpMethods();
        return new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(retry)
            .AddTimeout(TimeSpan.FromSeconds(30)) // each attempt
            .Build();
    }

    /// <summary>When to read a placed order next, and how long the last wait was.</summary>
    private readonly record struct NextRead(DateTime At, TimeSpan Wait);

    private async Task<T?> GetOrNullAsync<T>(string path) where T : class
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureAsync(response);
        return await response.Content.ReadFromJsonAsync<T>(MarketplaceJson.Options);
    }

    private static async Task EnsureAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri}: {await response.Content.ReadAsStringAsync()}", null, response.StatusCode);
        }
    }
}
