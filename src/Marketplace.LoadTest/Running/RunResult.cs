namespace Marketplace.LoadTest.Running;

/// <summary>What one run measured. Times in seconds, latencies in milliseconds, memory in MiB.</summary>
public sealed record RunResult(
    string Mode,
    int Orders,
    int Failed,
    int Fulfilled,
    int Cancelled,
    double Seconds,
    double PlacedPerSecond,
    double CompletedPerSecond,
    LatencySummary PlacedToTerminal,
    LatencySummary PlaceCall,
    IReadOnlyDictionary<string, LatencySummary> ConsumerHandling,
    double CpuSeconds,
    double? HostCpuSeconds,
    double PeakMemoryMiB,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    double GcPauseSeconds,
    double AllocatedKiBPerOrder,
    IReadOnlyList<string> InvariantViolations,
    IReadOnlyDictionary<string, long> LargestStoredBytes)
{
    public bool Passed => Failed == 0 && InvariantViolations.Count == 0;

    /// <summary>The host's CPU per concluded order, in milliseconds, when the host was sampled.</summary>
    public double? HostCpuPerOrderMs => HostCpuSeconds is { } cpu && Orders > Failed ? Math.Round(cpu * 1000 / (Orders - Failed), 3) : null;
}

/// <summary>Event-driven against the synchronous chain: above 1 the event path is the larger.</summary>
public sealed record Comparison(double Throughput, double LatencyP50, double LatencyP99)
{
    public static Comparison Of(RunResult eventDriven, RunResult direct) => new(
        Ratio(eventDriven.CompletedPerSecond, direct.CompletedPerSecond),
        Ratio(eventDriven.PlacedToTerminal.P50, direct.PlacedToTerminal.P50),
        Ratio(eventDriven.PlacedToTerminal.P99, direct.PlacedToTerminal.P99));

    private static double Ratio(double a, double b) => b == 0 ? 0 : Math.Round(a / b, 3);
}
