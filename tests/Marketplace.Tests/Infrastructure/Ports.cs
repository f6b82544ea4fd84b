using System.Net;
using System.Net.Sockets;

namespace Marketplace.Tests.Infrastructure;

public static class Ports
{
    /// <summary>A loopback TCP port free right now, for a server a test starts.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
