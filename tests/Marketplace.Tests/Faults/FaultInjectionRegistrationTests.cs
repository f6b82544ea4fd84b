using Marketplace.Grains;
using Marketplace.Grains.Consumers;
using Marketplace.Grains.Faults;
using Marketplace.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.Streams;

namespace Marketplace.Tests.Faults;

/// <summary>Fault injection is on no path unless configured: the grains know nothing of it, the host wraps its providers only then.</summary>
public sealed class FaultInjectionRegistrationTests(ClusterFixture healthy, PermanentFaultFixture faulty)
    : IClassFixture<ClusterFixture>, IClassFixture<PermanentFaultFixture>
{
    [Fact]
    public void Without_faults_configured_no_filter_storage_or_stream_decorator_is_registered()
    {
        var services = healthy.Cluster.GetSiloServiceProvider();

        Assert.Null(services.GetService<InjectedFaults>());
        Assert.Empty(services.GetRequiredService<ConsumerServices>().Filters);
        Assert.IsType<InProcessGrainStorage>(Assert.IsType<DeadSiloStorage>(services.GetRequiredKeyedService<IGrainStorage>(Storage.Name)).Inner);
        Assert.IsType<Marketplace.Silo.Streaming.FailureReportingAdapterFactory>(services.GetRequiredKeyedService<IQueueAdapterFactory>(EventStreams.Provider));
    }

    [Fact]
    public void With_faults_configured_the_consumers_are_filtered_and_the_storage_and_streams_wrapped()
    {
        var services = faulty.Cluster.GetSiloServiceProvider();

        Assert.NotNull(services.GetService<InjectedFaults>());
        Assert.IsType<ConsumerFaults>(Assert.Single(services.GetRequiredService<ConsumerServices>().Filters));
        Assert.IsNotType<InProcessGrainStorage>(Assert.IsType<DeadSiloStorage>(services.GetRequiredKeyedService<IGrainStorage>(Storage.Name)).Inner);
        Assert.IsNotType<Marketplace.Silo.Streaming.FailureReportingAdapterFactory>(services.GetRequiredKeyedService<IQueueAdapterFactory>(EventStreams.Provider));
    }
}
