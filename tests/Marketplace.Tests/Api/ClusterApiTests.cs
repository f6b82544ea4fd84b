using System.Text.Json;

namespace Marketplace.Tests.Api;

public sealed class ClusterApiTests(HostFixture host) : ClusterApiTests<HostFixture>(host), IClassFixture<HostFixture>;

/// <summary>The same suite against the API tier: an Orleans client host in front of a silo process.</summary>
[Collection(ApiTier.Name)]
public sealed class ClusterApiTestsOnTheApiRole(ApiRoleHostFixture host) : ClusterApiTests<ApiRoleHostFixture>(host);

public abstract class ClusterApiTests<THost>(THost host)
    where THost : HostFixture
{
    [Fact]
    public async Task The_cluster_lists_the_one_silo_active_with_every_stream_partition()
    {
        var silos = await Eventually.Get(async () =>
        {
            var list = JsonDocument.Parse(await host.Http.GetStringAsync(new Uri("/api/admin/cluster", UriKind.Relative))).RootElement.EnumerateArray().ToList();
            return list is [var only] && only.GetProperty("partitions").GetArrayLength() == 8 ? list : null;
        }, "the silo to own the eight memory-stream queues");

        var silo = silos[0];
        Assert.Equal(["address", "name", "partitions", "startedAt", "status"], silo.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("Active", silo.GetProperty("status").GetString());
        Assert.Matches(@"^[\d.]+:\d+$", silo.GetProperty("address").GetString());
        Assert.StartsWith("Silo_", silo.GetProperty("name").GetString(), StringComparison.Ordinal); // Orleans' default, no replica name here
        Assert.InRange(silo.GetProperty("startedAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow);
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7"], silo.GetProperty("partitions").EnumerateArray().Select(p => p.GetString()));
    }
}
