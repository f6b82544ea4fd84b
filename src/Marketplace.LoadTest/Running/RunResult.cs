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
    IReadOnlyDictionary<string, long> GrainCalls,
    IReadOnlyList<string> InvariantViolations,
    IReadOnlyDictionary<string, long> LargestStoredBytes)
{
    public bool Passed => Failed == 0 && InvariantViolations.Count == 0;

    /// <summary>The host's CPU per concluded order, in milliseconds, when the host was sampled.</summary>
    public double? HostCpuPerOrderMs => HostCpuSeconds is { } cpu && Orders > Failed ? Math.Round(cpu * 1000 / (Orders - Failed), 3) : null;

    /// <summary>Grain calls the cluster received per order until the last one concluded (in process only; else 0).</summary>
    public double GrainCallsPerOrder => CallsPerOrder(GrainCalls.Values.Sum());

    public double CallsPerOrder(long calls) => Orders > Failed ? Math.Round((double)calls / (Orders - Failed), 2) : 0;
}

/// <summary>Event-driven against the synchronous chain: above 1 the event path is the larger.</summary>
public sealed record Comparison(double Throughput, double LatencyP50, double LatencyP99, double GrainCalls)
{
    public static Comparison Of(RunResult eventDriven, RunResult direct) => new(
        Ratio(eventDriven.CompletedPerSecond, direct.CompletedPerSecond),
        Ratio(eventDriven.PlacedToTerminal.P50, direct.PlacedToTerminal.P50),
        Ratio(eventDriven.PlacedToTerminal.P99, direct.PlacedToTerminal.P99),
        Ratio(eventDriven.GrainCallsPerOrder, direct.GrainCallsPerOrder));

    private static double Ratio(double a, double b) => b == 0 ? 0 : Math.Round(a / b, 3);
}
