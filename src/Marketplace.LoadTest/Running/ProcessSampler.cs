using System.Diagnostics;

namespace Marketplace.LoadTest.Running;

public sealed record ResourceUse(double CpuSeconds, double? HostCpuSeconds, double PeakMemoryMiB, int Gen0, int Gen1, int Gen2, double GcPauseSeconds, long AllocatedBytes);

/// <summary>
/// This process's CPU, peak working set, allocations and garbage collections while a run lasts, and the CPU of
/// the host driven over HTTP when it runs on this machine.
/// </summary>
public sealed class ProcessSampler : IDisposable
{
    private readonly Process process = Process.GetCurrentProcess();
    private readonly Process? host;
    private readonly TimeSpan cpuBefore;
    private readonly TimeSpan hostCpuBefore;
    private readonly int[] collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    private readonly TimeSpan pauseBefore = GC.GetTotalPauseDuration();
    private readonly long allocatedBefore = GC.GetTotalAllocatedBytes();
    private readonly Timer timer;
    private long peakBytes;

    public ProcessSampler(int? hostProcessId = null)
    {
        cpuBefore = process.TotalProcessorTime;
        host = hostProcessId is { } id ? Process.GetProcessById(id) : null;
        hostCpuBefore = host?.TotalProcessorTime ?? TimeSpan.Zero;
        timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
    }

    public ResourceUse Stop()
    {
        timer.Change(Timeout.Infinite, Timeout.Infinite);
        Sample();
        process.Refresh();
        host?.Refresh();
        return new ResourceUse(
            (process.TotalProcessorTime - cpuBefore).TotalSeconds,
            host is null ? null : (host.TotalProcessorTime - hostCpuBefore).TotalSeconds,
            Interlocked.Read(ref peakBytes) / (1024.0 * 1024),
            GC.CollectionCount(0) - collectionsBefore[0],
            GC.CollectionCount(1) - collectionsBefore[1],
            GC.CollectionCount(2) - collectionsBefore[2],
            (GC.GetTotalPauseDuration() - pauseBefore).TotalSeconds,
            GC.GetTotalAllocatedBytes() - allocatedBefore);
    }

    public void Dispose()
    {
        timer.Dispose();
        process.Dispose();
        host?.Dispose();
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
