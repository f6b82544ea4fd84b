using Marketplace.Silo.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Silo.Api;

/// <summary>The views owned by payment, shipping and reporting.</summary>
public static class DownstreamApi
{
    public static IEndpointRouteBuilder MapDownstreamApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/payments/{orderId}", async Task<Results<Ok<PaymentSnapshot>, ProblemHttpResult>> (string orderId, IGrainFactory grains) =>
            await grains.GetGrain<IPaymentGrain>(orderId).GetAsync() is { } payment
                ? TypedResults.Ok(payment)
                : Problems.NotFound("Payment", orderId))
            .WithTags("Payments")
            .RequireOwnOrder()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/shipments/{orderId}", async Task<Results<Ok<ShipmentSnapshot>, ProblemHttpResult>> (string orderId, IGrainFactory grains) =>
            await grains.GetGrain<IShipmentGrain>(orderId).GetAsync() is { } shipment
                ? TypedResults.Ok(shipment)
                : Problems.NotFound("Shipment", orderId))
            .WithTags("Shipping")
            .RequireOwnOrder()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/reports/sales", async (IGrainFactory grains) =>
            TypedResults.Ok(await grains.GetSalesReportAsync()))
            .WithTags("Reporting")
            .RequireAuthorization(Policies.Admin);

        return api;
    }
}
