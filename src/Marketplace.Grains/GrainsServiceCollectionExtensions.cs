using Marketplace.Grains.Consumers;
using Marketplace.Grains.Faults;
using Marketplace.Grains.Orders;
using Marketplace.Grains.Payments;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Marketplace.Grains;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>The services the grains depend on. Providers (storage, streams) are the host's choice.</summary>
    public static IServiceCollection AddMarketplaceGrains(this IServiceCollection services, IConfiguration configuration)
    {
        if (FaultOptions.AreConfigured(configuration))
        {
            services.TryAddSingleton<InjectedFaults>(); // the host wraps its providers with it
            services.AddSingleton<IEventHandlingFilter, ConsumerFaults>();
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPaymentGateway, PaymentGatewaySimulator>();
        services.AddSingleton<IConfigureOptions<ConsumerRetryOptions>>(sp => new LayeredOptions<ConsumerRetryOptions>(
            sp.GetRequiredService<IConfiguration>(), ConsumerRetryOptions.Section, consumer => $"Marketplace:Consumers:{consumer}:Retry"));
        services.AddSingleton<IConfigureOptions<FaultOptions>>(sp => new LayeredOptions<FaultOptions>(
            sp.GetRequiredService<IConfiguration>(), $"{FaultOptions.Section}:Default", name => $"{FaultOptions.Section}:{name}"));
        services.TryAddSingleton<FaultInjector>();
        services.AddOptions<OrderOptions>().BindConfiguration(OrderOptions.Section);
        services.AddOptions<ConsumerOptions>().BindConfiguration(ConsumerOptions.Section);
        services.AddOptions<IdempotencyOptions>().BindConfiguration(IdempotencyOptions.Section);
        services.AddOptions<EventShardOptions>().BindConfiguration(EventShardOptions.Section);
        services.TryAddSingleton(sp => new EventShards(sp.GetRequiredService<IOptions<EventShardOptions>>().Value.Shards));
        services.TryAddSingleton<ConsumerServices>();
        services.TryAddSingleton<EventPublisher>();
        services.AddMetrics();
        services.TryAddSingleton<MarketplaceMetrics>();
        services.TryAddSingleton<ConsumerCatalog>();
        services.TryAddSingleton<OrderTimeline>();
        services.AddSingleton<IIncomingGrainCallFilter, StaleStateRecovery>();
        services.Insert(0, ServiceDescriptor.Singleton<IGrainInterfaceTypeProvider, GrainInterfaceTypeCache>()); // asked first
        return services;
    }
}
