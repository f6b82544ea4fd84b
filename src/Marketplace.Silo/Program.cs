using Marketplace.Silo.Api;
using Marketplace.Silo.Hosting;
using Marketplace.Silo.Security;
using Orleans.Dashboard;

var builder = WebApplication.CreateBuilder(args);

builder.UseOrleans(silo =>
{
    silo.UseMarketplaceClustering(builder.Configuration).AddMarketplace(builder.Configuration).AddDashboard();
    if (builder.Configuration.CollectsTraces())
    {
        silo.AddActivityPropagation(); // grain calls carry the trace: HTTP → order → consumers is one trace
    }
});
builder.Services.Configure<MarketplaceOptions>(builder.Configuration.GetSection(MarketplaceOptions.Section));
builder.Services.AddHostedService<DemoCatalogSeeder>();
builder.AddServiceDefaults();
builder.AddMarketplaceSecurity();
builder.Services.AddMarketplaceApi();

var app = builder.Build();

app.UseDefaultFiles(); // "/" is the storefront and operations page (wwwroot: static, no build step)
app.UseStaticFiles();
app.MapMarketplaceApi();
app.MapDefaultEndpoints();
app.MapOrleansDashboard("/dashboard").RequireAuthorization(Policies.Admin);

app.Run();

/// <summary>The host, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
