using System.Globalization;
using Microsoft.AspNetCore.Hosting;

namespace Marketplace.Tests.Infrastructure;

/// <summary>
/// The host in the <c>api</c> role (an Orleans client, no silo) in front of a silo process in the
/// <c>silo</c> role, both embedded (the client finds the silo's gateway on this machine): the HTTP
/// suites that run against this fixture run against the deployment's API tier.
/// </summary>
public sealed class ApiRoleHostFixture : HostFixture
{
    private readonly string serviceId = Shop.NewId("api-role");
    private readonly int gatewayPort = Ports.Free();
    private SiloProcess? silo;

    public override async Task InitializeAsync()
    {
        silo = SiloProcess.Start(new Dictionary<string, string>
        {
            ["Marketplace:Role"] = "silo",
            ["Orleans:GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
            ["Orleans:ServiceId"] = serviceId,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await silo.WaitReadyAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (silo is not null)
        {
            await silo.DisposeAsync();
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Marketplace:Role", "api");
        builder.UseSetting("Orleans:GatewayPort", gatewayPort.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:ServiceId", serviceId);
    }
}
