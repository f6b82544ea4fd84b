using Marketplace.Grains;
using Marketplace.Grains.Orders;
using Marketplace.Silo.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Silo.Api;

public sealed record OrderItemRequest(string? Sku, int? Quantity);

public sealed record AddressRequest(string? Name, string? Line1, string? City, string? PostalCode, string? Country);

/// <summary>One push of the live view: the order and its timeline as they are now.</summary>
public sealed record OrderLiveView(OrderSnapshot Order, ImmutableArray<TimelineEntry> Timeline);

public sealed record PlaceOrderRequest(string? CustomerId, List<OrderItemRequest?>? Items, string? PaymentToken, AddressRequest? ShippingAddress);

/// <summary>Checkout and order reads: <c>/api/orders</c>.</summary>
public static class OrdersApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder api)
    {
        var orders = api.MapGroup("/orders").WithTags("Orders");
        orders.MapPost("", PlaceAsync).RequireRateLimiting(OrderRateLimitOptions.Policy).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        orders.MapGet("/{orderId}", GetAsync).RequireOwnOrder().ProducesProblem(StatusCodes.Status404NotFound);
        orders.MapGet("/{orderId}/timeline", GetTimelineAsync).RequireOwnOrder().ProducesProblem(StatusCodes.Status404NotFound);
        orders.MapGet("/{orderId}/live", LiveAsync).RequireOwnOrder().ProducesProblem(StatusCodes.Status404NotFound)
            .Produces<OrderLiveView>(StatusCodes.Status200OK, "text/event-stream");
        return api;
    }

    /// <summary>
    /// Checkout: places the order and returns at once (202); the rest happens through events.
    /// With an Idempotency-Key the order id is derived from the customer and the key, so a repeat reaches the same order.
    /// </summary>
    private static async Task<Results<Accepted<OrderSnapshot>, ProblemHttpResult, ValidationProblem>> PlaceAsync(
        PlaceOrderRequest request,
        HttpRequest http,
        IGrainFactory grains,
        Caller caller)
    {
        // Read raw: a header that is present but empty is a mistake, not an absent key.
        var idempotencyKey = http.Headers.TryGetValue(IdempotencyKeyHeader, out var values) ? values.ToString() : null;
        var errors = Validate(request);
        errors.Check(idempotencyKey is null || Rules.IsIdempotencyKey(idempotencyKey), IdempotencyKeyHeader,
            $"The {IdempotencyKeyHeader} header must be 1-{Rules.MaxIdempotencyKeyLength} printable ASCII characters.");
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        if (!caller.MayActFor(request.CustomerId!))
        {
            return OwnershipFilters.Forbidden($"This caller may not place orders for customer {request.CustomerId}. Nothing was placed.");
        }

        var orderId = (idempotencyKey is null ? Guid.CreateVersion7() : DeterministicIds.ForIdempotencyKey(request.CustomerId!, idempotencyKey)).ToString();
        var result = await grains.GetGrain<IOrderGrain>(orderId).PlaceAsync(ToCommand(request));
        if (result.Outcome == PlaceOrderOutcome.Placed)
        {
            await grains.GetGrain<IRecentOrdersGrain>(RecentOrdersGrain.Key).AddAsync(orderId); // one-way: no wait
        }

        return result.Outcome switch
        {
            PlaceOrderOutcome.Placed or PlaceOrderOutcome.AlreadyPlaced => TypedResults.Accepted($"/api/orders/{orderId}", result.Order!),
            PlaceOrderOutcome.UnknownSkus => TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Unknown sku",
                detail: $"Not in the catalog: {string.Join(", ", result.UnknownSkus)}. Nothing was placed."),
            _ => Problems.Conflict(
                $"{IdempotencyKeyHeader} reused",
                $"This {IdempotencyKeyHeader} was used for a different request; nothing was placed."),
        };
    }

    private static async Task<Results<Ok<OrderSnapshot>, ProblemHttpResult>> GetAsync(string orderId, IGrainFactory grains) =>
        await grains.GetGrain<IOrderGrain>(orderId).GetAsync() is { } order
            ? TypedResults.Ok(order)
            : Problems.NotFound("Order", orderId);

    private static async Task<Results<Ok<ImmutableArray<TimelineEntry>>, ProblemHttpResult>> GetTimelineAsync(string orderId, IGrainFactory grains) =>
        await grains.TimelineOf(orderId) is { IsEmpty: false } entries
            ? TypedResults.Ok(entries)
            : Problems.NotFound("Order", orderId);

    /// <summary>Worked out in the cluster: the API role is only its client.</summary>
    private static Task<ImmutableArray<TimelineEntry>> TimelineOf(this IGrainFactory grains, string orderId) =>
        grains.OrderTimelines().GetAsync(orderId);

    /// <summary>
    /// The order as it happens, as Server-Sent Events: the order and its timeline, sent whenever the
    /// order's journal grows (the order grain wakes the stream; nothing polls meanwhile). Once the
    /// order has ended, the timeline is read a few more times, backing off, until every consumer has
    /// handled its last events; then the stream ends.
    /// </summary>
    private static async Task<IResult> LiveAsync(string orderId, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var order = grains.GetGrain<IOrderGrain>(orderId);
        return await order.GetAsync() is null
            ? Problems.NotFound("Order", orderId)
            : TypedResults.ServerSentEvents(LiveViews(orderId, order, grains, cancellationToken), eventType: "order");
    }

    /// <summary>Once the order has ended, the first wait before the timeline is read again; each next wait is twice as long.</summary>
    private static readonly TimeSpan FirstSettleWait = TimeSpan.FromMilliseconds(100);

    /// <summary>The waits for consumers to catch up stop past this one (about 20 s in all): the view ends with what is pending.</summary>
    private static readonly TimeSpan LongestSettleWait = TimeSpan.FromSeconds(10);

    /// <summary>How long one wait for the order's next event lasts before the view is sent again (which keeps idle connections alive).</summary>
    private static readonly TimeSpan NextEventWait = TimeSpan.FromSeconds(20);

    private static async IAsyncEnumerable<OrderLiveView> LiveViews(
        string orderId, IOrderGrain order, IGrainFactory grains, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var settle = FirstSettleWait;
        while (!cancellationToken.IsCancellationRequested)
        {
            var snapshot = (await order.GetAsync())!;
            var entries = await grains.TimelineOf(orderId);
            yield return new OrderLiveView(snapshot, entries);

            if (snapshot.Status.IsConcluded())
            {
                if (entries.All(e => e.Pending.IsEmpty) || settle > LongestSettleWait)
                {
                    yield break;
                }

                await Task.Delay(settle, cancellationToken);
                settle *= 2;
                continue;
            }

            await order.WaitForEventsAsync(entries.Length, NextEventWait);
        }
    }

    /// <summary>The orders with these ids that exist, as they are now, in the order given.</summary>
    public static async Task<OrderSnapshot[]> GetOrdersAsync(this IGrainFactory grains, IEnumerable<string> ids) =>
        (await Task.WhenAll(ids.Select(id => grains.GetGrain<IOrderGrain>(id).GetAsync()))).OfType<OrderSnapshot>().ToArray();

    private static ValidationErrors Validate(PlaceOrderRequest request)
    {
        var errors = new ValidationErrors().CheckId(request.CustomerId, "customerId");

        var items = request.Items ?? [];
        errors.Check(items.Count is > 0 and <= Rules.MaxOrderLines, "items", $"'items' must have 1-{Rules.MaxOrderLines} lines.");
        for (var i = 0; i < items.Count; i++)
        {
            errors.CheckId(items[i]?.Sku, $"items[{i}].sku")
                .Check(items[i]?.Quantity is >= 1 and <= Rules.MaxLineQuantity, $"items[{i}].quantity", $"'quantity' must be 1-{Rules.MaxLineQuantity}.");
        }

        var duplicates = items.Where(i => i?.Sku is not null).GroupBy(i => i!.Sku, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        errors.Check(duplicates.Count == 0, "items", $"Each sku may appear once; repeated: {string.Join(", ", duplicates)}.");

        errors.Check(request.PaymentToken is not null && PaymentTokens.All.Contains(request.PaymentToken), "paymentToken",
            $"'paymentToken' must be one of: {string.Join(", ", PaymentTokens.All)}.");

        var address = request.ShippingAddress;
        errors.Check(address is not null, "shippingAddress", "'shippingAddress' is required.");
        if (address is not null)
        {
            errors.Check(Rules.IsText(address.Name), "shippingAddress.name", $"'name' is required: 1-{Rules.MaxTextLength} characters, no control characters.")
                .Check(Rules.IsText(address.Line1), "shippingAddress.line1", $"'line1' is required: 1-{Rules.MaxTextLength} characters, no control characters.")
                .Check(Rules.IsText(address.City), "shippingAddress.city", $"'city' is required: 1-{Rules.MaxTextLength} characters, no control characters.")
                .Check(Rules.IsText(address.PostalCode), "shippingAddress.postalCode", $"'postalCode' is required: 1-{Rules.MaxTextLength} characters, no control characters.")
                .Check(Rules.IsCountryCode(address.Country), "shippingAddress.country", "'country' must be an ISO 3166 alpha-2 code (upper case), such as 'NL'.");
        }

        return errors;
    }

    private static PlaceOrder ToCommand(PlaceOrderRequest r) => new(
        r.CustomerId!,
        [.. r.Items!.Select(i => new OrderItem(i!.Sku!, i.Quantity!.Value))],
        r.PaymentToken!,
        new Address(r.ShippingAddress!.Name!.Trim(), r.ShippingAddress.Line1!.Trim(), r.ShippingAddress.City!.Trim(),
            r.ShippingAddress.PostalCode!.Trim(), r.ShippingAddress.Country!));
}
