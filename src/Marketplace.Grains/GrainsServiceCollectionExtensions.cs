using Marketplace.Grains.Consumers;
using Marketplace.Grains.Orders;
using Marketplace.Grains.Payments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Polly.Registry;

namespace Marketplace.Grains;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>The services the grains depend on. Providers (storage, streams) are the host's choice.</summary>
    public static IServiceCollection AddMarketplaceGrains(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPaymentGateway, PaymentGatewaySimulator>();
        services.TryAddSingleton<ResiliencePipelineRegistry<string>>();
        services.AddOptions<ConsumerRetryOptions>().BindConfiguration(ConsumerRetryOptions.Section);
        services.TryAddSingleton<ConsumerCatalog>();
        services.TryAddSingleton<OrderTimeline>();
        services.AddSingleton<IIncomingGrainCallFilter, StaleStateRecovery>();
        return services;
    }
}
