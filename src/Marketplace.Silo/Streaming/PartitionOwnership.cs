using System.Diagnostics;
using System.Globalization;
using Orleans.Providers;
using Orleans.Serialization;
using Orleans.Streaming.Diagnostics;
using Orleans.Streams;

namespace Marketplace.Silo.Streaming;

/// <summary>
/// The partitions of the event streams this silo reads. Orleans reports them on its streaming
/// diagnostics each time a silo's pulling agents take or give up queues; this keeps the latest
/// report of its own silo. Every silo has one; <c>IManagementGrain.SendControlCommandToProvider</c>
/// asks them all at once.
/// </summary>
public sealed class PartitionOwnership(IServiceProvider services, ILocalSiloDetails silo)
    : IControllable, ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    public const string Name = "marketplace-partitions";

    /// <summary>The one command: which partitions do you read?</summary>
    public const int Owned = 1;

    /// <summary>
    /// The management grain's per-silo call names this type, so it must be allowed on the wire by
    /// the silos and by any client that asks (the API role, tests).
    /// </summary>
    public static IServiceCollection AllowInControlCommands(IServiceCollection services) =>
        services.AddSerializer(serializer => serializer.Configure(o => o.AddAllowedType(typeof(PartitionOwnership))));

    private IDisposable? listeners;
    private IDisposable? subscription;
    private volatile QueueId[] queues = [];

    /// <summary>Listens from before the stream providers start, so that their first report is heard.</summary>
    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(PartitionOwnership), ServiceLifecycleStage.RuntimeInitialize, _ =>
    {
        listeners = DiagnosticListener.AllListeners.Subscribe(new Observer<DiagnosticListener>(listener =>
        {
            if (listener.Name == StreamingEvents.ListenerName)
            {
                // Only these two: a listener enabled for everything would make Orleans build an
                // event object for every message it delivers.
                subscription = listener.Subscribe(
                    new Observer<KeyValuePair<string, object?>>(e => Record(e.Value)),
                    name => name is nameof(StreamingEvents.BalancerChanged) or nameof(StreamingEvents.PullingAgentManagerState));
            }
        }));
        return Task.CompletedTask;
    });

    public Task<object?> ExecuteCommand(int command, object? arg)
    {
        if (command != Owned)
        {
            throw new ArgumentOutOfRangeException(nameof(command), command, $"{nameof(PartitionOwnership)} knows only command {Owned}.");
        }

        var mapper = services.GetRequiredKeyedService<IQueueAdapterFactory>(EventStreams.Provider).GetStreamQueueMapper();
        var partitions = queues
            .Select(queue => mapper is HashRingBasedPartitionedStreamQueueMapper hub
                ? hub.QueueToPartition(queue) // an Event Hubs partition id
                : queue.GetNumericId().ToString(CultureInfo.InvariantCulture)) // a memory-stream queue
            .OrderBy(partition => partition.Length).ThenBy(partition => partition, StringComparer.Ordinal)
            .ToImmutableArray();
        return Task.FromResult<object?>(new SiloPartitions(silo.SiloAddress.ToParsableString(), partitions));
    }

    public void Dispose()
    {
        listeners?.Dispose();
        subscription?.Dispose();
    }

    private void Record(object? report)
    {
        // Silos of one process (test clusters) share the listener: each keeps its own silo's reports.
        switch (report)
        {
            case StreamingEvents.BalancerChanged changed when IsMine(changed):
                queues = changed.CurrentQueues;
                break;
            case StreamingEvents.PullingAgentManagerState state when IsMine(state):
                queues = state.CurrentQueues;
                break;
        }
    }

    private bool IsMine(StreamingEvents.StreamingEvent report) =>
        report.StreamProvider == EventStreams.Provider && silo.SiloAddress.Equals(report.SiloAddress);

    private sealed class Observer<T>(Action<T> next) : IObserver<T>
    {
        public void OnNext(T value) => next(value);

        public void OnError(Exception error)
        {
        }

        public void OnCompleted()
        {
        }
    }
}

/// <summary>One silo's answer: its address (with its generation) and the partitions it reads.</summary>
[GenerateSerializer, Immutable, Alias("marketplace.silo-partitions.v1")]
public sealed record SiloPartitions([property: Id(0)] string Silo, [property: Id(1)] ImmutableArray<string> Partitions);
