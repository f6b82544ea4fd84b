using Marketplace.LocalEventHubs.Amqp;
using Marketplace.LocalEventHubs.Storage;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Encoding;
using Microsoft.Azure.Amqp.Framing;
using Microsoft.Azure.Amqp.Sasl;
using Microsoft.Azure.Amqp.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marketplace.LocalEventHubs;

/// <summary>
/// An Event Hubs-compatible AMQP 1.0 endpoint on Microsoft.Azure.Amqp, for the official client and
/// Orleans' Event Hubs provider: the development connection string (plain AMQP, <c>MSSBCBS</c> SASL,
/// a <c>$cbs</c> token taken as given), <c>$management</c> properties, sends by key, partition or
/// batch, reads from every start position with owner levels, and every event on disk before its send
/// is acknowledged.
/// </summary>
public sealed class LocalEventHubsServer : IRuntimeProvider, IAsyncDisposable
{
    /// <summary>The service's limit for one message (an event or a batch): 1 MB on Standard.</summary>
    public const ulong MaxMessageSize = 1024 * 1024;

    private readonly EventStore store;
    private readonly ILogger logger;
    private readonly CbsNode cbs = new();
    private readonly ManagementNode management;
    private readonly PartitionOwners owners = new();
    private readonly HashSet<AmqpConnection> connections = [];
    private readonly AmqpSettings settings = new();
    private AmqpTransportListener? listener;

    private LocalEventHubsServer(LocalEventHubsOptions options, EventStore store, ILogger logger)
    {
        Options = options;
        this.store = store;
        this.logger = logger;
        management = new ManagementNode(store);
    }

    public LocalEventHubsOptions Options { get; }

    /// <summary>Opens the logs under the data directory and listens.</summary>
    public static LocalEventHubsServer Start(LocalEventHubsOptions options, ILogger? logger = null)
    {
        var store = EventStore.Open(options.DataDirectory, options.Hubs);
        var server = new LocalEventHubsServer(options, store, logger ?? NullLogger.Instance);
        server.Listen();
        return server;
    }

    private void Listen()
    {
        settings.RuntimeProvider = this;
        var sasl = new SaslTransportProvider();
        sasl.Versions.Add(new AmqpVersion(1, 0, 0));
        sasl.AddHandler(new SaslAnonymousHandler("MSSBCBS")); // the only mechanism the client offers
        sasl.AddHandler(new SaslAnonymousHandler());
        settings.TransportProviders.Add(sasl);
        var amqp = new AmqpTransportProvider();
        amqp.Versions.Add(new AmqpVersion(1, 0, 0));
        settings.TransportProviders.Add(amqp);

        var tcp = new TcpTransportSettings { Host = Options.Host, Port = Options.Port };
        listener = new AmqpTransportListener([tcp.CreateListener()], settings);
        listener.Listen(OnAcceptTransport);
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Event Hubs endpoint on {Host}:{Port}, data in {Data}; hubs: {Hubs}",
            Options.Host, Options.Port, Path.GetFullPath(Options.DataDirectory), string.Join(", ", store.Hubs.Select(h => $"{h.Name} ({h.PartitionCount} partitions)")));
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener?.Close();
        AmqpConnection[] open;
        lock (connections)
        {
            open = [.. connections];
        }

        foreach (var connection in open)
        {
            connection.SafeClose(); // the listener does not close what it accepted
        }

        await store.DisposeAsync().ConfigureAwait(false);
    }

    private void OnAcceptTransport(TransportListener source, TransportAsyncCallbackArgs args)
    {
        var connection = new AmqpConnection(args.Transport, (ProtocolHeader)args.UserToken, false, settings, new AmqpConnectionSettings
        {
            ContainerId = $"local-eventhubs-{Environment.ProcessId}",
            MaxFrameSize = 64 * 1024,
        });
        lock (connections)
        {
            connections.Add(connection);
        }

        connection.Closed += (_, _) =>
        {
            lock (connections)
            {
                connections.Remove(connection);
            }
        };
        _ = OpenAsync(connection);
    }

    private async Task OpenAsync(AmqpConnection connection)
    {
        try
        {
            await connection.OpenAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            logger.LogDebug(exception, "A connection did not open");
            connection.SafeClose(exception);
        }
    }

    AmqpConnection IConnectionFactory.CreateConnection(TransportBase transport, ProtocolHeader protocolHeader, bool isInitiator, AmqpSettings amqpSettings, AmqpConnectionSettings connectionSettings) =>
        new(transport, protocolHeader, isInitiator, amqpSettings, connectionSettings);

    AmqpSession ISessionFactory.CreateSession(AmqpConnection connection, AmqpSessionSettings sessionSettings) =>
        new(connection, sessionSettings, this);

    AmqpLink ILinkFactory.CreateLink(AmqpSession session, AmqpLinkSettings linkSettings)
    {
        if (linkSettings.IsReceiver())
        {
            linkSettings.MaxMessageSize = MaxMessageSize; // the producer sizes its batches by it, and fails without it
            return new ReceivingAmqpLink(session, linkSettings);
        }

        return new SendingAmqpLink(session, linkSettings);
    }

    IAsyncResult ILinkFactory.BeginOpenLink(AmqpLink link, TimeSpan timeout, AsyncCallback callback, object state)
    {
        OnOpenLink(link); // throws an AmqpException to refuse the link, with the reason
        var result = new CompletedResult(state);
        callback?.Invoke(result);
        return result;
    }

    void ILinkFactory.EndOpenLink(IAsyncResult result)
    {
    }

    private void OnOpenLink(AmqpLink link)
    {
        var address = link.IsReceiver ? ((Target)link.Settings.Target).Address?.ToString() : ((Source)link.Settings.Source).Address?.ToString();
        switch (LinkAddress.Parse(address ?? ""))
        {
            case LinkAddress.RequestNode { Name: LinkAddress.Cbs }:
                cbs.Attach(link);
                break;

            case LinkAddress.RequestNode:
                management.Attach(link);
                break;

            case LinkAddress.Publish publish when link is ReceivingAmqpLink receiver:
                var hub = Hub(publish.Hub);
                PartitionLog? partition = publish.PartitionId is null ? null : Partition(hub, publish.PartitionId);
                _ = new PublisherLink(receiver, hub, partition, logger);
                break;

            case LinkAddress.Consume consume when link is SendingAmqpLink sender:
                OpenReader(sender, consume);
                break;

            default:
                throw new AmqpException(AmqpErrorCode.NotFound, $"'{address}' is not an address of this endpoint: /{{hub}}, /{{hub}}/Partitions/{{id}}, /{{hub}}/ConsumerGroups/{{group}}/Partitions/{{id}}, $cbs or $management.");
        }
    }

    private void OpenReader(SendingAmqpLink sender, LinkAddress.Consume consume)
    {
        var hub = Hub(consume.Hub);
        if (!hub.Definition.ConsumerGroups.Contains(consume.ConsumerGroup))
        {
            throw new AmqpException(AmqpErrorCode.NotFound, NotFound.ConsumerGroup(hub, consume.ConsumerGroup));
        }

        var partition = Partition(hub, consume.PartitionId);
        var filters = ((Source)sender.Settings.Source).FilterSet;
        var filter = filters is not null && filters.TryGetValue<object>(StartPosition.FilterName, out var described) ? FilterText(described) : null;
        long start;
        try
        {
            start = StartPosition.Resolve(filter, partition);
        }
        catch (FormatException exception)
        {
            throw new AmqpException(AmqpErrorCode.InvalidField, exception.Message);
        }

        long? ownerLevel = sender.Settings.Properties is { } properties && properties.TryGetValue<long>(new AmqpSymbol("com.microsoft:epoch"), out var epoch) ? epoch : null;
        var reader = new ConsumerLink(sender, partition, start, ownerLevel, logger);
        owners.Add((hub.Definition.Name, consume.ConsumerGroup.ToLowerInvariant(), consume.PartitionId), reader);
        reader.Start();
    }

    /// <summary>The filter's text: on this side it decodes as a plain described value, not an AmqpDescribed.</summary>
    private static string? FilterText(object? filter) => filter switch
    {
        DescribedType described => described.Value as string,
        string text => text,
        _ => null,
    };

    private EventStore.Hub Hub(string name) => store.TryGetHub(name, out var hub)
        ? hub
        : throw new AmqpException(AmqpErrorCode.NotFound, NotFound.Hub(name, store));

    private static PartitionLog Partition(EventStore.Hub hub, string id) => hub.TryGetPartition(id, out var partition)
        ? partition
        : throw new AmqpException(AmqpErrorCode.NotFound, NotFound.Partition(hub, id));

    private sealed class CompletedResult(object? state) : IAsyncResult
    {
        public object? AsyncState => state;

        public WaitHandle AsyncWaitHandle => throw new NotSupportedException();

        public bool CompletedSynchronously => true;

        public bool IsCompleted => true;
    }
}
