using System.Diagnostics;
using Marketplace.Grains;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Marketplace.Tests.Telemetry;

/// <summary>The real host with its spans kept in memory (the OpenTelemetry in-memory exporter).</summary>
public sealed class TracingHostFixture : HostFixture
{
    private readonly List<Activity> spans = [];

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Marketplace:Telemetry:Traces"] = "true", // no exporter is configured: the test's in-memory one is added below
    };

    /// <summary>The spans exported so far (the exporter adds under its own lock, so copy with retries).</summary>
    public IReadOnlyList<Activity> Spans
    {
        get
        {
            while (true)
            {
                try
                {
                    return [.. spans];
                }
                catch (InvalidOperationException)
                {
                    // added to while copying: copy again
                }
            }
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddOpenTelemetry().WithTracing(tracing => tracing.AddInMemoryExporter(spans)));
    }
}

public sealed class TracingTests(TracingHostFixture host) : IClassFixture<TracingHostFixture>
{
    private static readonly string[] SixConsumers = ["email", "inventory", "loyalty", "payment", "reporting", "shipping"];

    [Fact]
    public async Task One_checkout_is_one_trace_from_the_http_request_through_every_consumer_with_messaging_attributes()
    {
        var sku = Shop.NewId("SKU");
        await host.PutProductAsync(sku, 5m, 3);
        var orderId = await host.PlaceOrderAsync(Shop.NewId("cust"), sku);

        var processed = await Eventually.Get(() =>
        {
            var ours = host.Spans.Where(s => s.Source.Name == MarketplaceTracing.SourceName && s.Kind == ActivityKind.Consumer
                && (string?)s.GetTagItem("marketplace.order.id") == orderId).ToList();
            var consumers = ours.Select(s => (string)s.GetTagItem("messaging.consumer.group.name")!).ToHashSet();
            return Task.FromResult(SixConsumers.All(consumers.Contains) ? ours : null);
        }, "a process span from each of the six consumers");

        // One trace: the checkout request's, through every consumer's handling of every event.
        var traceId = Assert.Single(processed.Select(s => s.TraceId).Distinct());
        var request = Assert.Single(host.Spans, s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server && s.TraceId == traceId);
        Assert.Equal("POST", request.GetTagItem("http.request.method"));

        // Each process span is a child of the create span of the event it handled, named and tagged
        // by the messaging conventions.
        var created = host.Spans.Where(s => s.Source.Name == MarketplaceTracing.SourceName && s.Kind == ActivityKind.Producer && s.TraceId == traceId)
            .ToDictionary(s => (string)s.GetTagItem("messaging.message.id")!);
        foreach (var span in processed)
        {
            var eventId = (string)span.GetTagItem("messaging.message.id")!;
            var destination = (string)span.GetTagItem("messaging.destination.name")!;
            Assert.Equal(created[eventId].SpanId, span.ParentSpanId);
            Assert.Equal($"process {destination}", span.DisplayName);
            Assert.Equal(("orleans", "process"), ((string?)span.GetTagItem("messaging.system"), (string?)span.GetTagItem("messaging.operation.type")));
        }

        Assert.Contains(processed, s => (string?)s.GetTagItem("messaging.destination.name") == "order-placed");
        Assert.Contains(processed, s => (string?)s.GetTagItem("messaging.destination.name") == "order-fulfilled");
    }
}
