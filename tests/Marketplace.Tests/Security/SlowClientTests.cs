using System.Net.Sockets;
using System.Text;

namespace Marketplace.Tests.Security;

/// <summary>The real Kestrel host with a short header timeout, as the Kestrel:Limits settings give it.</summary>
public sealed class SlowHeadersHostFixture : HostFixture
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Kestrel:Limits:RequestHeadersTimeout"] = "00:00:01",
    };
}

/// <summary>A client that trickles its headers (slowloris) is cut off instead of holding a connection.</summary>
public sealed class SlowClientTests(SlowHeadersHostFixture host) : IClassFixture<SlowHeadersHostFixture>
{
    [Fact]
    public async Task A_request_whose_headers_never_finish_loses_its_connection()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(host.Http.BaseAddress!.Host, host.Http.BaseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /api/products HTTP/1.1\r\nHost: localhost\r\n"));

        // Kestrel answers a header timeout with 408 or just closes; either way the connection ends.
        var buffer = new byte[4096];
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var received = new StringBuilder();
        int read;
        while ((read = await stream.ReadAsync(buffer, patience.Token)) > 0)
        {
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        Assert.DoesNotContain("200 OK", received.ToString(), StringComparison.Ordinal);
    }
}
