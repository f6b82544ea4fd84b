using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Silo.Api;

/// <summary>The views owned by payment, shipping and reporting.</summary>
public static class DownstreamApi
{
    public static IEndpointRouteBuilder MapDownstreamApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/payments/{orderId}", async Task<Results<Ok<PaymentSnapshot>, ProblemHttpResult>> (string orderId, IGrainFactory grains) =>
            await grains.GetGrain<IPaymentGrain>(orderId).GetAsync() is { } payment
                ? TypedResults.Ok(payment)
                : Problems.NotFound("Payment", orderId))
            .WithTags("Payments");

        app.MapGet("/api/shipments/{orderId}", async Task<Results<Ok<ShipmentSnapshot>, ProblemHttpResult>> (string orderId, IGrainFactory grains) =>
            await grains.GetGrain<IShipmentGrain>(orderId).GetAsync() is { } shipment
                ? TypedResults.Ok(shipment)
                : Problems.NotFound("Shipment", orderId))
            .WithTags("Shipping");

        app.MapGet("/api/reports/sales", async (IGrainFactory grains) =>
            TypedResults.Ok(await grains.GetGrain<ISalesReportGrain>(0).GetAsync()))
            .WithTags("Reporting");

        return app;
    }
}
