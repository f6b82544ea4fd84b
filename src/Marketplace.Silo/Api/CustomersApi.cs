using Marketplace.Silo.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Silo.Api;

/// <summary>A customer's orders, loyalty and notifications: <c>/api/customers/{customerId}</c>.</summary>
public static class CustomersApi
{
    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder api)
    {
        var customers = api.MapGroup("/customers/{customerId}").WithTags("Customers").RequireOwnCustomer();
        customers.MapGet("/orders", GetOrdersAsync);
        customers.MapGet("/loyalty", GetLoyaltyAsync);
        customers.MapGet("/notifications", GetNotificationsAsync);
        return api;
    }

    private static async Task<Results<Ok<OrderSnapshot[]>, ValidationProblem>> GetOrdersAsync(string customerId, IGrainFactory grains)
    {
        if (Invalid(customerId) is { } problem)
        {
            return problem;
        }

        var ids = await grains.GetGrain<ICustomerOrdersGrain>(customerId).GetOrderIdsAsync();
        return TypedResults.Ok((await grains.GetOrdersAsync(ids)).OrderByDescending(o => o.PlacedAt).ToArray());
    }

    private static async Task<Results<Ok<LoyaltySnapshot>, ValidationProblem>> GetLoyaltyAsync(string customerId, IGrainFactory grains) =>
        Invalid(customerId) is { } problem
            ? problem
            : TypedResults.Ok(await grains.GetGrain<ICustomerLoyaltyGrain>(customerId).GetAsync());

    private static async Task<Results<Ok<ImmutableArray<Notification>>, ValidationProblem>> GetNotificationsAsync(string customerId, IGrainFactory grains) =>
        Invalid(customerId) is { } problem
            ? problem
            : TypedResults.Ok(await grains.GetGrain<IMailboxGrain>(customerId).GetAsync());

    private static ValidationProblem? Invalid(string customerId)
    {
        var errors = new ValidationErrors().CheckId(customerId, "customerId");
        return errors.IsValid ? null : errors.ToProblem();
    }
}
