using Marketplace.Grains.Orders;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Marketplace.Tests.Infrastructure;

public static class Shops
{
    /// <summary>A shop driving the given cluster; timelines are read on a silo that is still alive.</summary>
    public static Shop Of(InProcessTestCluster cluster) =>
        new(cluster.Client, () => LiveSilo(cluster).GetRequiredService<OrderTimeline>());

    public static IServiceProvider LiveSilo(InProcessTestCluster cluster) =>
        cluster.GetSiloServiceProvider(cluster.GetActiveSilos().First().SiloAddress);
}
