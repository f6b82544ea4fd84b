using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Marketplace.LoadTest.Running;

/// <summary>
/// Counts the grain calls the silos of this process receive, by grain class and method. A call is
/// the unit an order's cost is made of on either path (a grain call, a stream queue call or a
/// delivery costs about the same), so the calls per order explain most of the gap between the
/// event path and the synchronous chain (README, Performance).
/// </summary>
public sealed class GrainCallCounter : IIncomingGrainCallFilter
{
    private ConcurrentDictionary<(Type Grain, MethodInfo Method), StrongBox<long>> counts = new();

    public Task Invoke(IIncomingGrainCallContext context)
    {
        var count = counts.GetOrAdd((context.Grain.GetType(), context.InterfaceMethod), static _ => new StrongBox<long>());
        Interlocked.Increment(ref count.Value);
        return context.Invoke();
    }

    /// <summary>Counts from zero again (the seeding before a run is not the run).</summary>
    public void Reset() => counts = new();

    /// <summary>The calls since the last reset, by <c>Grain.Method</c>.</summary>
    public IReadOnlyDictionary<string, long> Snapshot() => counts
        .GroupBy(c => $"{c.Key.Grain.Name}.{c.Key.Method.Name}", StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Sum(c => Interlocked.Read(ref c.Value.Value)), StringComparer.Ordinal);
}
