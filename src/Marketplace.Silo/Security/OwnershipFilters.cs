using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Silo.Security;

/// <summary>
/// A customer sees its own data only: these filters compare the customer a route is about with the
/// caller, and answer 403 for anyone else's. Admins (and everyone in <c>none</c> mode) pass.
/// </summary>
public static class OwnershipFilters
{
    /// <summary>Routes under <c>/api/customers/{customerId}</c>.</summary>
    public static TBuilder RequireOwnCustomer<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var caller = context.HttpContext.RequestServices.GetRequiredService<Caller>();
            return context.HttpContext.GetRouteValue("customerId") is string customerId && !caller.MayActFor(customerId)
                ? Forbidden($"This caller may not see customer {customerId}'s data.")
                : await next(context);
        });

    /// <summary>Routes about one order (<c>{orderId}</c>): the order's customer must be the caller.</summary>
    public static TBuilder RequireOwnOrder<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var caller = context.HttpContext.RequestServices.GetRequiredService<Caller>();
            if (caller.IsAdmin || context.HttpContext.GetRouteValue("orderId") is not string orderId)
            {
                return await next(context);
            }

            var grains = context.HttpContext.RequestServices.GetRequiredService<IGrainFactory>();
            var order = await grains.GetGrain<IOrderGrain>(orderId).GetAsync();
            return order is not null && !caller.MayActFor(order.CustomerId)
                ? Forbidden($"Order {orderId} belongs to another customer.")
                : await next(context); // no such order: the route says 404 itself
        });

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);
}
