using HdrHistogram;

namespace Marketplace.LoadTest.Running;

/// <summary>Percentiles of a latency, in milliseconds.</summary>
public sealed record LatencySummary(long Count, double P50, double P95, double P99, double Max, double Mean);

/// <summary>A thread-safe HdrHistogram of latencies (microsecond resolution, up to an hour).</summary>
public sealed class LatencyRecorder
{
    private const double MicrosPerMilli = 1_000;
    private readonly LongConcurrentHistogram histogram = new(1, TimeSpan.FromHours(1).Ticks / TimeSpan.TicksPerMicrosecond, 3);

    public void Record(TimeSpan elapsed) => histogram.RecordValue(Math.Max(1, (long)(elapsed.Ticks / TimeSpan.TicksPerMicrosecond)));

    public LatencySummary Summary()
    {
        var h = histogram.Copy();
        return h.TotalCount == 0
            ? new LatencySummary(0, 0, 0, 0, 0, 0)
            : new LatencySummary(
                h.TotalCount,
                h.GetValueAtPercentile(50) / MicrosPerMilli,
                h.GetValueAtPercentile(95) / MicrosPerMilli,
                h.GetValueAtPercentile(99) / MicrosPerMilli,
                h.GetMaxValue() / MicrosPerMilli,
                h.GetMean() / MicrosPerMilli);
    }
}
