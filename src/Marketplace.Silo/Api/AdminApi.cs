using Marketplace.Contracts.DeadLetters;
using Marketplace.Silo.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Silo.Api;

/// <summary>Operations: dead letters and their replay, <c>/api/admin</c>.</summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder api)
    {
        var deadLetters = api.MapGroup("/admin/dead-letters").WithTags("Admin").RequireAuthorization(Policies.Admin);
        deadLetters.MapGet("", ListAsync);
        api.MapGet("/admin/orders/recent", RecentOrdersAsync).WithTags("Admin").RequireAuthorization(Policies.Admin);
        deadLetters.MapPost("/{id}/replay", ReplayAsync).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    /// <summary>The last orders placed through the API, newest first, as they are now (for the operations page).</summary>
    private static async Task<Ok<OrderSnapshot[]>> RecentOrdersAsync(IGrainFactory grains)
    {
        var ids = await grains.GetGrain<IRecentOrdersGrain>(Grains.Orders.RecentOrdersGrain.Key).GetAsync();
        return TypedResults.Ok(await grains.GetOrdersAsync(ids));
    }

    private static async Task<Ok<DeadLetter[]>> ListAsync(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetOpenDeadLettersAsync());

    /// <summary>Hands the event to its consumer again: 200 when handled (also when it had been), 409 when it fails again.</summary>
    private static async Task<Results<Ok<DeadLetter>, ProblemHttpResult>> ReplayAsync(string id, IGrainFactory grains)
    {
        var result = await grains.GetGrain<IDeadLetterGrain>(id).ReplayAsync();
        return result.Outcome switch
        {
            ReplayOutcome.Handled => TypedResults.Ok(result.Letter!),
            ReplayOutcome.Failed => Problems.Conflict("Replay failed", $"{result.Letter!.Consumer} failed again: {result.Letter.Error}. The dead letter stays open."),
            _ => Problems.NotFound("Dead letter", id),
        };
    }
}
