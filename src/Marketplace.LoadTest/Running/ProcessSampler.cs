using System.Diagnostics;

namespace Marketplace.LoadTest.Running;

public sealed record ResourceUse(double CpuSeconds, double PeakMemoryMiB, int Gen0, int Gen1, int Gen2, double GcPauseSeconds);

/// <summary>This process's CPU, peak working set and garbage collections while a run lasts.</summary>
public sealed class ProcessSampler : IDisposable
{
    private readonly Process process = Process.GetCurrentProcess();
    private readonly TimeSpan cpuBefore;
    private readonly int[] collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    private readonly TimeSpan pauseBefore = GC.GetTotalPauseDuration();
    private readonly Timer timer;
    private long peakBytes;

    public ProcessSampler()
    {
        cpuBefore = process.TotalProcessorTime;
        timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
    }

    public ResourceUse Stop()
    {
        timer.Change(Timeout.Infinite, Timeout.Infinite);
        Sample();
        process.Refresh();
        return new ResourceUse(
            (process.TotalProcessorTime - cpuBefore).TotalSeconds,
            Interlocked.Read(ref peakBytes) / (1024.0 * 1024),
            GC.CollectionCount(0) - collectionsBefore[0],
            GC.CollectionCount(1) - collectionsBefore[1],
            GC.CollectionCount(2) - collectionsBefore[2],
            (GC.GetTotalPauseDuration() - pauseBefore).TotalSeconds);
    }

    public void Dispose()
    {
        timer.Dispose();
        process.Dispose();
    }

    private void Sample()
    {
        lock (process)
        {
            process.Refresh();
            var now = process.WorkingSet64;
            if (now > Interlocked.Read(ref peakBytes))
            {
                Interlocked.Exchange(ref peakBytes, now);
            }
        }
    }
}
