using System.Net;
using System.Net.Sockets;

namespace Marketplace.Tests.Infrastructure;

public static class Ports
{
    private static int next = Random.Shared.Next(20_000, 31_000);

    /// <summary>
    /// A loopback TCP port free right now, for a server a test starts. Taken below the kernel's
    /// ephemeral range (32768 and up on Linux), so no outgoing connection can grab it between this
    /// check and the server's bind, and handed out in turn, so two tests never get the same one.
    /// </summary>
    public static int Free()
    {
        for (var tries = 0; tries < 1000; tries++)
        {
            var port = 20_000 + (Interlocked.Increment(ref next) % 12_000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken: try the next
            }
        }

        throw new InvalidOperationException("No free port between 20000 and 32000.");
    }
}
