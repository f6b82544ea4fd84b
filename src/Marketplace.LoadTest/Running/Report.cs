using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Spectre.Console;

namespace Marketplace.LoadTest.Running;

/// <summary>The runs as tables on the console and as one JSON document.</summary>
public static class Report
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void Write(IAnsiConsole console, IReadOnlyList<RunResult> runs, Comparison? comparison)
    {
        var table = new Table().Title("Marketplace load test").AddColumn("");
        foreach (var run in runs)
        {
            table.AddColumn(new TableColumn(run.Mode).RightAligned());
        }

        if (comparison is not null)
        {
            table.AddColumn(new TableColumn("event-driven / direct").RightAligned());
        }

        void Row(string name, Func<RunResult, string> value, double? ratio = null) =>
            table.AddRow([name, .. runs.Select(value), .. comparison is null ? Array.Empty<string>() : [ratio is { } r ? r.ToString("F2", CultureInfo.InvariantCulture) : ""]]);

        Row("orders (fulfilled / cancelled / failed)", r => $"{r.Orders:N0} ({r.Fulfilled:N0} / {r.Cancelled:N0} / {r.Failed:N0})");
        Row("wall time, s", r => F(r.Seconds));
        Row("placed / s", r => F(r.PlacedPerSecond));
        Row("saga-complete / s", r => F(r.CompletedPerSecond), comparison?.Throughput);
        Row("placed → terminal p50 / p95, ms", r => $"{F(r.PlacedToTerminal.P50)} / {F(r.PlacedToTerminal.P95)}", comparison?.LatencyP50);
        Row("placed → terminal p99 / max, ms", r => $"{F(r.PlacedToTerminal.P99)} / {F(r.PlacedToTerminal.Max)}", comparison?.LatencyP99);
        Row("place call p50 / p99, ms", r => $"{F(r.PlaceCall.P50)} / {F(r.PlaceCall.P99)}");
        Row("CPU, s (cores busy)", r => $"{F(r.CpuSeconds)} ({F(r.CpuSeconds / r.Seconds)})");
        if (runs.Any(r => r.HostCpuSeconds is not null))
        {
            Row("host CPU, s (per order, ms)", r => r.HostCpuSeconds is { } cpu ? $"{F(cpu)} ({F(r.HostCpuPerOrderMs!.Value)})" : "");
        }

        Row("peak working set, MiB", r => F(r.PeakMemoryMiB));
        Row("GC gen0 / gen1 / gen2 (pause, s)", r => $"{r.Gen0Collections} / {r.Gen1Collections} / {r.Gen2Collections} ({F(r.GcPauseSeconds)})");
        Row("allocated per order, KiB", r => F(r.AllocatedKiBPerOrder));
        if (runs.Any(r => r.GrainCalls.Count > 0))
        {
            Row("grain calls per order", r => F(r.GrainCallsPerOrder), comparison?.GrainCalls);
        }

        Row("invariants", r => r.Passed ? "[green]all hold[/]" : $"[red]{r.InvariantViolations.Count} broken[/]");
        console.Write(table);

        foreach (var run in runs.Where(r => r.ConsumerHandling.Count > 0))
        {
            var consumers = new Table().Title($"{run.Mode}: handling time per consumer, ms").AddColumns("consumer", "events", "p50", "p99", "mean", "max");
            foreach (var (consumer, s) in run.ConsumerHandling)
            {
                consumers.AddRow(consumer, s.Count.ToString("N0", CultureInfo.InvariantCulture), F(s.P50), F(s.P99), F(s.Mean), F(s.Max));
            }

            console.Write(consumers);
        }

        WriteGrainCalls(console, runs);

        foreach (var run in runs.Where(r => r.LargestStoredBytes.Count > 0))
        {
            var states = new Table().Title($"{run.Mode}: largest stored state per kind, as Table storage would store it").AddColumns("state", "bytes");
            foreach (var (state, bytes) in run.LargestStoredBytes)
            {
                states.AddRow(state, bytes.ToString("N0", CultureInfo.InvariantCulture));
            }

            console.Write(states);
        }

        foreach (var run in runs.Where(r => !r.Passed))
        {
            console.MarkupLineInterpolated($"[red]{run.Mode}: {run.InvariantViolations.Count} invariant(s) broken[/]");
            foreach (var violation in run.InvariantViolations.Take(20))
            {
                console.MarkupLineInterpolated($"[red]  {violation}[/]");
            }
        }
    }

    /// <summary>Calls per order by grain and method, the runs side by side: where one path spends calls the other does not.</summary>
    private static void WriteGrainCalls(IAnsiConsole console, IReadOnlyList<RunResult> runs)
    {
        const int Shown = 16;
        var measured = runs.Where(r => r.GrainCalls.Count > 0).ToList();
        if (measured.Count == 0)
        {
            return;
        }

        var methods = measured.SelectMany(r => r.GrainCalls)
            .GroupBy(c => c.Key, StringComparer.Ordinal)
            .OrderByDescending(g => g.Max(c => c.Value))
            .Select(g => g.Key)
            .ToList();
        var table = new Table().Title("grain calls per order, by grain and method").AddColumn("call");
        measured.ForEach(r => table.AddColumn(new TableColumn(r.Mode).RightAligned()));
        foreach (var method in methods.Take(Shown))
        {
            table.AddRow([method, .. measured.Select(r => F(r.CallsPerOrder(r.GrainCalls.GetValueOrDefault(method))))]);
        }

        if (methods.Count > Shown)
        {
            table.AddRow(["the rest", .. measured.Select(r => F(r.CallsPerOrder(methods.Skip(Shown).Sum(m => r.GrainCalls.GetValueOrDefault(m)))))]);
        }

        console.Write(table);
    }

    public static async Task WriteJsonAsync(FileInfo file, object settings, IReadOnlyList<RunResult> runs, Comparison? comparison)
    {
        var document = new
        {
            Machine = new
            {
                Environment.ProcessorCount,
                Os = RuntimeInformation.OSDescription,
                Runtime = RuntimeInformation.FrameworkDescription,
                At = DateTimeOffset.UtcNow,
            },
            Settings = settings,
            Runs = runs,
            Comparison = comparison,
        };
        await using var stream = file.Create();
        await JsonSerializer.SerializeAsync(stream, document, Json);
    }

    private static string F(double value) => value.ToString(value >= 100 ? "N0" : "0.0#", CultureInfo.InvariantCulture);
}
