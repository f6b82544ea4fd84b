using System.Collections.Concurrent;
using Orleans.Metadata;
using Orleans.Streams;

namespace Marketplace.Grains.Consumers;

/// <summary>A consumer grain type and the event namespaces it subscribes to.</summary>
public sealed record ConsumerDescriptor(GrainType GrainType, ImmutableArray<IStreamNamespacePredicate> Subscriptions)
{
    public string Name { get; } = GrainType.ToString()!;

    public bool Handles(string streamNamespace) => Subscriptions.Any(p => p.IsMatch(streamNamespace));
}

/// <summary>
/// Every consumer the silo runs, found from Orleans' own grain manifest: a consumer added in any
/// loaded assembly is listed without being registered anywhere.
/// </summary>
public sealed class ConsumerCatalog(IClusterManifestProvider manifest, GrainClassMap grainClasses)
{
    private readonly ConcurrentDictionary<string, bool> subscribed = new(StringComparer.Ordinal);
    private ImmutableArray<ConsumerDescriptor>? consumers;
    private ImmutableArray<IStreamNamespacePredicate>? subscriptions;

    public ImmutableArray<ConsumerDescriptor> All => consumers ??= Discover();

    public IEnumerable<ConsumerDescriptor> HandlersOf(string streamNamespace) =>
        All.Where(c => c.Handles(streamNamespace));

    public ConsumerDescriptor Named(string name) => All.Single(c => c.Name == name);

    /// <summary>
    /// True when some grain of this silo subscribes implicitly to the namespace (for bookkeeping or
    /// to handle it). Asked on every publish, so each namespace's answer is worked out once.
    /// </summary>
    public bool IsSubscribed(string streamNamespace) => subscribed.GetOrAdd(
        streamNamespace, ns => (subscriptions ??= DiscoverSubscriptions()).Any(p => p.IsMatch(ns)));

    private ImmutableArray<IStreamNamespacePredicate> DiscoverSubscriptions() =>
    [
        .. manifest.LocalGrainManifest.Grains.Keys
            .Select(grainType => grainClasses.TryGetGrainClass(grainType, out var grainClass) ? grainClass : null)
            .SelectMany(grainClass => grainClass?.GetCustomAttributes(typeof(ImplicitStreamSubscriptionAttribute), inherit: true) ?? [])
            .Cast<ImplicitStreamSubscriptionAttribute>()
            .Select(a => a.Predicate),
    ];

    private ImmutableArray<ConsumerDescriptor> Discover()
    {
        var found = ImmutableArray.CreateBuilder<ConsumerDescriptor>();
        foreach (var grainType in manifest.LocalGrainManifest.Grains.Keys)
        {
            if (grainClasses.TryGetGrainClass(grainType, out var grainClass) && typeof(IOrderEventConsumer).IsAssignableFrom(grainClass))
            {
                // The concern's own subscriptions; those of the base class only open and close its records.
                var predicates = grainClass.GetCustomAttributes(typeof(ImplicitStreamSubscriptionAttribute), inherit: false)
                    .Cast<ImplicitStreamSubscriptionAttribute>()
                    .Select(a => a.Predicate);
                found.Add(new ConsumerDescriptor(grainType, [.. predicates]));
            }
        }

        return [.. found.OrderBy(c => c.Name, StringComparer.Ordinal)];
    }
}
