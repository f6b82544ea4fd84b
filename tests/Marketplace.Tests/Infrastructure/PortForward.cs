using System.Net;
using System.Net.Sockets;

namespace Marketplace.Tests.Infrastructure;

/// <summary>
/// A TCP port mapping, as a platform's ingress puts in front of a container: connections to one
/// port of this machine are relayed to another.
/// </summary>
public sealed class PortForward : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;
    private int connections;

    public PortForward(int from, int to)
    {
        listener = new TcpListener(IPAddress.Loopback, from);
        listener.Start();
        accepting = AcceptAsync(to);
    }

    /// <summary>Connections relayed so far.</summary>
    public int Connections => Volatile.Read(ref connections);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        stop.Dispose();
    }

    private async Task AcceptAsync(int to)
    {
        while (true)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref connections);
            _ = RelayAsync(inbound, to);
        }
    }

    private async Task RelayAsync(TcpClient inbound, int to)
    {
        using (inbound)
        using (var outbound = new TcpClient())
        {
            try
            {
                await outbound.ConnectAsync(IPAddress.Loopback, to, stop.Token);
                var (a, b) = (inbound.GetStream(), outbound.GetStream());
                await Task.WhenAny(a.CopyToAsync(b, stop.Token), b.CopyToAsync(a, stop.Token));
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // one side went away: so does the relay
            }
        }
    }
}
