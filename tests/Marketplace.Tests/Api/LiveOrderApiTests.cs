using System.Net;
using System.Text.Json;

namespace Marketplace.Tests.Api;

/// <summary>
/// <c>GET /api/orders/{id}/live</c>: Server-Sent Events pushed as the order's journal grows, ending once
/// the order has ended and every consumer has handled its events.
/// </summary>
public sealed class LiveOrderApiTests(SlowShippingHostFixture host) : LiveOrderApiTests<SlowShippingHostFixture>(host), IClassFixture<SlowShippingHostFixture>;

/// <summary>
/// In one process an order can end before its live view is asked for; shipping takes a moment
/// here, so the view always has an order in flight to follow.
/// </summary>
public sealed class SlowShippingHostFixture : HostFixture
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Marketplace:Faults:shipping:Delay"] = "00:00:00.300",
    };
}

/// <summary>The same suite against the API tier: an Orleans client host in front of a silo process.</summary>
[Collection(ApiTier.Name)]
public sealed class LiveOrderApiTestsOnTheApiRole(ApiRoleHostFixture host) : LiveOrderApiTests<ApiRoleHostFixture>(host);

public abstract class LiveOrderApiTests<THost>(THost host)
    where THost : HostFixture
{
    [Fact]
    public async Task The_stream_pushes_the_order_as_it_happens_and_ends_when_every_consumer_is_done()
    {
        var sku = Shop.NewId("SKU");
        await host.PutProductAsync(sku, 3m, 5);
        var orderId = await host.PlaceOrderAsync(Shop.NewId("cust"), sku);

        using var response = await host.Http.GetAsync(new Uri($"/api/orders/{orderId}/live", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var pushes = new List<JsonElement>();
        await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            Assert.Equal("order", item.EventType);
            pushes.Add(JsonDocument.Parse(item.Data).RootElement);
        }

        var last = pushes[^1];
        Assert.Equal("Fulfilled", last.GetProperty("order").GetProperty("status").GetString());
        Assert.All(last.GetProperty("timeline").EnumerateArray(), e => Assert.Equal(0, e.GetProperty("pending").GetArrayLength()));
        Assert.Contains(last.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("type").GetString() == "OrderFulfilled");
        var counts = pushes.Select(p => p.GetProperty("timeline").GetArrayLength()).ToList();
        Assert.Equal(counts.Order(), counts); // the journal only grows
        Assert.True(pushes.Count >= 2, $"{pushes.Count} push(es): the stream should have followed the order, not just reported its end");
    }

    [Fact]
    public async Task An_unknown_order_is_404()
    {
        var response = await host.Http.GetAsync(new Uri($"/api/orders/{Guid.NewGuid()}/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Recent_orders_lists_the_newest_first()
    {
        var sku = Shop.NewId("SKU");
        await host.PutProductAsync(sku, 3m, 5);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await host.PlaceOrderAsync(Shop.NewId("cust"), sku));
        }

        var recent = await Eventually.Get(async () =>
        {
            var orders = await host.GetAsync<OrderSnapshot[]>("/api/admin/orders/recent");
            return orders.Length >= 3 && orders.Take(3).Select(o => o.OrderId).SequenceEqual(Enumerable.Reverse(ids)) ? orders : null;
        }, "the three orders, newest first"); // the add is one-way: it lands a moment after the 202
        Assert.Equal(recent.Length, recent.DistinctBy(o => o.OrderId).Count());
    }
}
