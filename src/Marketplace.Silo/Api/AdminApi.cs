using Marketplace.Contracts.DeadLetters;
using Marketplace.Silo.Security;
using Marketplace.Silo.Streaming;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Silo.Api;

/// <summary>Operations: dead letters and their replay, recent orders, the cluster, <c>/api/admin</c>.</summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder api)
    {
        var deadLetters = api.MapGroup("/admin/dead-letters").WithTags("Admin").RequireAuthorization(Policies.Admin);
        deadLetters.MapGet("", ListAsync);
        api.MapGet("/admin/orders/recent", RecentOrdersAsync).WithTags("Admin").RequireAuthorization(Policies.Admin);
        deadLetters.MapPost("/{id}/replay", ReplayAsync).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/admin/cluster", ClusterAsync).WithTags("Admin").RequireAuthorization(Policies.Admin);
        return api;
    }

    /// <summary>
    /// Every silo in the membership table, oldest first, with the stream partitions each reads: what
    /// an operator (and the deployment's check) needs to see that every silo joined and took its share.
    /// </summary>
    private static async Task<Ok<ClusterSilo[]>> ClusterAsync(IGrainFactory grains)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var silos = await management.GetDetailedHosts(onlyActive: false);
        var owned = (await management.SendControlCommandToProvider<PartitionOwnership>(PartitionOwnership.Name, PartitionOwnership.Owned))
            .OfType<SiloPartitions>()
            .ToDictionary(p => p.Silo, p => p.Partitions, StringComparer.Ordinal);
        return TypedResults.Ok(silos
            .OrderBy(s => s.StartTime)
            .Select(s => new ClusterSilo(
                s.SiloAddress.Endpoint.ToString(),
                s.SiloName,
                s.Status.ToString(),
                new DateTimeOffset(DateTime.SpecifyKind(s.StartTime, DateTimeKind.Utc)),
                owned.GetValueOrDefault(s.SiloAddress.ToParsableString(), [])))
            .ToArray());
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

/// <summary>A silo as <c>GET /api/admin/cluster</c> shows it.</summary>
/// <param name="Address">Where other silos reach it (its advertised endpoint).</param>
/// <param name="Name">Its silo name: on Container Apps its replica's, which begins with its revision's (the rollout waits on it).</param>
/// <param name="Status">Orleans' membership status: <c>Joining</c>, <c>Active</c>, <c>ShuttingDown</c>, <c>Dead</c>, ...</param>
/// <param name="Partitions">The stream partitions (Event Hubs partition ids, or memory-stream queues) it reads now.</param>
public sealed record ClusterSilo(string Address, string Name, string Status, DateTimeOffset StartedAt, ImmutableArray<string> Partitions);
