using Marketplace.Silo.Api;
using Marketplace.Silo.Hosting;
using Marketplace.Silo.Security;
using Orleans.Dashboard;

var builder = WebApplication.CreateBuilder(args);
var role = MarketplaceOptions.From(builder.Configuration);
var traced = builder.Configuration.CollectsTraces();

if (role.HostsSilo)
{
    builder.UseOrleans(silo =>
    {
        // Every silo hosts the dashboard's grains, whichever process serves its pages.
        silo.UseMarketplaceClustering(builder.Configuration).AddMarketplace(builder.Configuration).AddDashboard();
        if (traced)
        {
            silo.AddActivityPropagation(); // grain calls carry the trace: HTTP → order → consumers is one trace
        }
    });
    if (!role.ServesApi)
    {
        // Health answers while the silo starts, and while it stands by for its predecessor
        // (PredecessorStandby); nothing else in this role waits for the silo.
        builder.Services.Configure<HostOptions>(o => o.ServicesStartConcurrently = true);
    }
}
else
{
    builder.UseOrleansClient(client =>
    {
        client.UseMarketplaceClustering(builder.Configuration).AddDashboard();
        if (traced)
        {
            client.AddActivityPropagation();
        }
    });
}

builder.Services.Configure<MarketplaceOptions>(builder.Configuration.GetSection(MarketplaceOptions.Section));
builder.AddServiceDefaults();
builder.AddMarketplaceSecurity();
if (role.ServesApi)
{
    builder.Services.AddHostedService<DemoCatalogSeeder>();
    builder.Services.AddMarketplaceApi();
}

var app = builder.Build();

if (role.ServesApi)
{
    app.UseDefaultFiles(); // "/" is the storefront and operations page (wwwroot: static, no build step)
    app.UseStaticFiles();
    app.UseMarketplaceApiPipeline();
    app.MapMarketplaceApi();
    app.MapOrleansDashboard("/dashboard").RequireAuthorization(Policies.Admin);
}

app.MapDefaultEndpoints();

app.Run();

/// <summary>The host, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
