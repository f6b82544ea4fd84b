using Azure.Monitor.OpenTelemetry.AspNetCore;
using Marketplace.Grains;
using Marketplace.Silo.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Marketplace.Silo.Hosting;

/// <summary>Health endpoints and telemetry: the cross-cutting parts every host gets the same way.</summary>
public static class ServiceDefaults
{
    private const string LiveTag = "live";

    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        var checks = builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        _ = MarketplaceOptions.From(builder.Configuration).HostsSilo
            ? checks.AddCheck<ReadinessCheck>("orleans")
            : checks.AddCheck<ClusterReadinessCheck>("orleans");
        builder.AddTelemetry();
        return builder;
    }

    /// <summary>
    /// Traces (ours, Orleans' grain calls, ASP.NET Core), metrics (ours, Orleans', ASP.NET Core's)
    /// and logs through OpenTelemetry. Where they go is configuration only: OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, Azure Monitor when
    /// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set. With neither, traces and metrics are
    /// not collected at all (<c>Marketplace:Telemetry:Traces</c> / <c>:Metrics</c> override): a span
    /// for every grain call, forty an order, nobody reads is CPU spent for nothing.
    /// </summary>
    private static void AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Logging.AddOpenTelemetry(logs =>
        {
            logs.IncludeScopes = true; // order id, event id and trace id on every line about an event
            logs.IncludeFormattedMessage = true;
        });
        var (otlp, azureMonitor) = Exporters(builder.Configuration);
        var telemetry = builder.Services.AddOpenTelemetry();
        if (builder.Configuration.CollectsTraces())
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(MarketplaceTracing.SourceName, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health")));
        }

        if (builder.Configuration.Collects("Metrics"))
        {
            telemetry.WithMetrics(metrics => metrics
                .AddMeter(MarketplaceMetrics.MeterName, "Microsoft.Orleans")
                .AddAspNetCoreInstrumentation());
        }

        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }

        if (azureMonitor)
        {
            telemetry.UseAzureMonitor();
        }
    }

    /// <summary>True when spans are collected: an exporter is configured, or <c>Marketplace:Telemetry:Traces</c> says so.</summary>
    public static bool CollectsTraces(this IConfiguration configuration) => configuration.Collects("Traces");

    /// <summary>Traces or metrics: collected when an exporter is configured, unless <c>Marketplace:Telemetry:{signal}</c> says otherwise.</summary>
    private static bool Collects(this IConfiguration configuration, string signal) =>
        configuration.GetValue<bool?>($"Marketplace:Telemetry:{signal}") ?? Exporters(configuration) is (true, _) or (_, true);

    private static (bool Otlp, bool AzureMonitor) Exporters(IConfiguration configuration) => (
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]),
        !string.IsNullOrWhiteSpace(configuration[AzureSettings.ApplicationInsights]));

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Liveness: the process answers. Readiness: it can do its work (silo, storage, streams).
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains(LiveTag) });
        app.MapHealthChecks("/health/ready");
        return app;
    }
}
