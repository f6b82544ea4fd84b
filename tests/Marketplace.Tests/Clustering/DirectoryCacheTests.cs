using Marketplace.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Marketplace.Tests.Clustering;

/// <summary>
/// Orleans keeps the address of every activation a silo called, a million by default: with grains
/// per order, memory that grows with the orders. The silo bounds it, and configuration can size it.
/// </summary>
public sealed class DirectoryCacheTests
{
    [Theory]
    [InlineData(null, SiloConfiguration.DirectoryCacheSize)]
    [InlineData("200000", 200_000)]
    public void The_directory_cache_is_bounded_by_default_and_sized_by_configuration(string? configured, int expected)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (configured is not null)
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Marketplace:GrainDirectory:CacheSize"] = configured });
        }

        builder.UseOrleans(silo => silo.UseMarketplaceClustering(builder.Configuration).AddMarketplace(builder.Configuration));

        using var host = builder.Build(); // built, not started: the options are all this reads

        Assert.Equal(expected, host.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value.CacheSize);
        Assert.True(SiloConfiguration.DirectoryCacheSize < new GrainDirectoryOptions().CacheSize);
    }
}
