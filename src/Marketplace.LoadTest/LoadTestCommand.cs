using System.CommandLine;
using Marketplace.LoadTest.Targets;
using Spectre.Console;

namespace Marketplace.LoadTest;

/// <summary>The command line: what to load, how hard, and what to compare it with.</summary>
public static class LoadTestCommand
{
    public static RootCommand Create(IAnsiConsole console)
    {
        var options = new LoadTestOptions();
        var root = new RootCommand("Places orders against the marketplace, waits for every saga to conclude, reports throughput and latency, and checks the invariants of API.md.");
        foreach (var option in options.All)
        {
            root.Options.Add(option);
        }

        root.Validators.Add(options.Validate);
        root.SetAction((parse, cancellationToken) => RunAsync(new LoadTestRun(parse, options), console, cancellationToken));
        return root;
    }

    private static async Task<int> RunAsync(LoadTestRun run, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var runner = new LoadRunner(run.Load, console);
        var results = new List<RunResult>();
        foreach (var direct in run.Modes)
        {
            results.Add(await RunModeAsync(run, direct, runner, console, cancellationToken));
        }

        var comparison = results.Count == 2 ? Comparison.Of(results[1], results[0]) : null;
        Report.Write(console, results, comparison);
        if (run.Json is { } file)
        {
            await Report.WriteJsonAsync(file, new { workload = run.Workload, load = run.Load, hostSettings = run.HostSettings, target = run.Url?.ToString() ?? "in-process" }, results, comparison);
            console.MarkupLineInterpolated($"[grey]results written to {file.FullName}[/]");
        }

        return results.All(r => r.Passed) ? 0 : 1;
    }

    /// <summary>One target (the event path, or the direct chain): warmed up, then measured on a fresh run id.</summary>
    private static async Task<RunResult> RunModeAsync(LoadTestRun run, bool direct, LoadRunner runner, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var target = await run.StartTargetAsync(direct);
        try
        {
            if (run.WarmupOrders > 0)
            {
                await WarmUpAsync(runner, target, run.Workload with { Orders = run.WarmupOrders }, console, cancellationToken);
                if (run.Url is null)
                {
                    // The compiled code stays with the process; the warm-up's grains and state go with its
                    // silo. One round on the new silo starts its agents, queues and consumer activations.
                    await target.DisposeAsync();
                    target = await run.StartTargetAsync(direct);
                    await runner.RunAsync(target, Workload.Create(run.Workload with { Orders = run.WarmupOrders }, NewRunId()), cancellationToken);
                }
            }

            // A fresh run id per run: keys and skus of one run never meet another's.
            return await runner.RunAsync(target, Workload.Create(run.Workload, NewRunId()), cancellationToken);
        }
        finally
        {
            await target.DisposeAsync();
        }
    }

    private static string NewRunId() => Guid.NewGuid().ToString("N")[..8];

    /// <summary>
    /// Warm-up rounds until a round compiles almost nothing new. Under full load the JIT's tiering
    /// (quick code, then instrumented code, then optimized code) lags far behind: a fixed warm-up
    /// measured methods still running instrumented code, at twice the CPU of an order.
    /// </summary>
    private static async Task WarmUpAsync(LoadRunner runner, IMarketplaceTarget target, WorkloadSettings round, IAnsiConsole console, CancellationToken cancellationToken)
    {
        const int MaxRounds = 10;
        const long Settled = 50; // methods compiled in a round
        for (var i = 1; i <= MaxRounds; i++)
        {
            var compiledBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
            await runner.RunAsync(target, Workload.Create(round, NewRunId()), cancellationToken);
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken); // the tiering thread catches up while idle
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount() - compiledBefore;
            if (compiled <= Settled || i == MaxRounds)
            {
                console.MarkupLineInterpolated($"[grey]{target.Mode}: warmed up in {i} round(s) of {round.Orders} orders ({compiled} methods compiled in the last)[/]");
                return;
            }
        }
    }
}
