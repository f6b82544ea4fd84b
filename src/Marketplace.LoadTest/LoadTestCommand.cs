using System.CommandLine;
using Marketplace.LoadTest.Targets;
using Spectre.Console;

namespace Marketplace.LoadTest;

/// <summary>The command line: what to load, how hard, and what to compare it with.</summary>
public static class LoadTestCommand
{
    public static RootCommand Create(IAnsiConsole console)
    {
        var inProcess = new Option<bool>("--in-process") { Description = "Run a one-silo cluster in this process (embedded profile) and drive its grains: no HTTP." };
        var url = new Option<Uri?>("--url")
        {
            Description = "Drive a running host over its HTTP API, e.g. http://localhost:5000/.",
            CustomParser = result => Uri.TryCreate(result.Tokens[0].Value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? uri
                : Error<Uri>(result, $"--url takes an absolute http(s) address, not '{result.Tokens[0].Value}'."),
        };
        var apiKey = new Option<string?>("--api-key") { Description = "With --url: an admin key of a host in apikey mode, sent as X-Api-Key (raise the host's Marketplace:RateLimits:Orders for a run)." };
        var hostPid = new Option<int?>("--host-pid") { Description = "With --url: the process id of the host, when it runs on this machine; its CPU is reported per order." };
        var orders = Positive(new Option<int>("--orders", "-n") { Description = "Orders to place.", DefaultValueFactory = _ => 2_000 });
        var concurrency = Positive(new Option<int>("--concurrency", "-c") { Description = "Orders in flight (placed, not yet concluded) at most.", DefaultValueFactory = _ => 500 });
        var rate = new Option<double?>("--rate", "-r") { Description = "Offer this many orders per second instead (open loop); --concurrency is then ignored." };
        var customers = Positive(new Option<int>("--customers") { Description = "Distinct customers.", DefaultValueFactory = _ => 1_000 });
        var skus = Positive(new Option<int>("--skus") { Description = "Products in the catalog.", DefaultValueFactory = _ => 50 });
        var scarce = new Option<int>("--scarce-skus") { Description = "Products stocked for half their demand (out-of-stock cancellations).", DefaultValueFactory = _ => 5 };
        var declined = Share(new Option<double>("--declined") { Description = "Share of orders paid with a declined card.", DefaultValueFactory = _ => 0.05 });
        var errors = Share(new Option<double>("--processing-errors") { Description = "Share of orders whose payment fails transiently first (retries).", DefaultValueFactory = _ => 0.005 });
        var seed = new Option<int>("--seed") { Description = "Seed of the workload: the same seed places the same orders.", DefaultValueFactory = _ => 42 };
        var compare = new Option<string?>("--compare") { Description = "Also run the same workload through the synchronous chain and compare (in process only)." };
        compare.AcceptOnlyFromAmong("direct");
        var json = new Option<FileInfo?>("--json") { Description = "Write the results as JSON to this file." };
        var warmup = new Option<int>("--warmup") { Description = "Orders per warm-up round, placed first on each target and not measured. Rounds repeat (up to 10) until the JIT has settled, so that both modes are measured on optimized code with the grains' types loaded.", DefaultValueFactory = _ => 1_000 };
        var timeout = Positive(new Option<int>("--timeout") { Description = "Seconds every order may take to conclude.", DefaultValueFactory = _ => 600 });
        var settings = new Option<string[]>("--set") { Description = "Host configuration for the in-process cluster, KEY=VALUE (e.g. Marketplace:MemoryStreams:PollPeriod=00:00:00.010).", AllowMultipleArgumentsPerToken = true };

        var root = new RootCommand("Places orders against the marketplace, waits for every saga to conclude, reports throughput and latency, and checks the invariants of API.md.")
        {
            inProcess, url, apiKey, hostPid, orders, concurrency, rate, customers, skus, scarce, declined, errors, seed, compare, json, warmup, timeout, settings,
        };
        root.Validators.Add(result =>
        {
            if (result.GetValue(inProcess) == (result.GetResult(url) is not null))
            {
                result.AddError("Choose one target: --in-process or --url.");
            }
            else if (result.GetResult(apiKey) is not null && result.GetResult(url) is null)
            {
                result.AddError("--api-key goes with --url: the in-process cluster has no HTTP.");
            }
            else if (result.GetValue(hostPid) is { } pid && (result.GetResult(url) is null || !IsRunning(pid)))
            {
                result.AddError($"--host-pid goes with --url and names a process running on this machine; {pid} does not.");
            }
            else if (result.GetValue(compare) is not null && !result.GetValue(inProcess))
            {
                result.AddError("--compare direct needs --in-process: the synchronous chain runs in this process.");
            }
            else if (result.GetValue(settings)?.FirstOrDefault(s => !s.Contains('=', StringComparison.Ordinal)) is { } bad)
            {
                result.AddError($"--set takes KEY=VALUE, not '{bad}'.");
            }
        });

        root.SetAction(async (parse, cancellationToken) =>
        {
            var workload = new WorkloadSettings(
                parse.GetValue(orders), parse.GetValue(customers), parse.GetValue(skus), parse.GetValue(scarce),
                parse.GetValue(declined), parse.GetValue(errors), parse.GetValue(seed));
            var load = new LoadSettings(parse.GetValue(concurrency), parse.GetValue(rate), TimeSpan.FromSeconds(parse.GetValue(timeout)), TimeSpan.FromSeconds(60), parse.GetValue(hostPid));
            var hostSettings = (parse.GetValue(settings) ?? []).Select(s => s.Split('=', 2)).ToDictionary(p => p[0], p => (string?)p[1]);
            bool[] modes = parse.GetValue(compare) is null ? [false] : [true, false]; // direct first: the baseline

            var runner = new LoadRunner(load, console);
            var results = new List<RunResult>();
            foreach (var direct in modes)
            {
                async Task<IMarketplaceTarget> StartAsync() => parse.GetValue(url) is { } address
                    ? new HttpTarget(address, parse.GetValue(apiKey))
                    : await InProcessTarget.StartAsync(direct, hostSettings);

                var target = await StartAsync();
                try
                {
                    if (parse.GetValue(warmup) is > 0 and var warmupOrders)
                    {
                        await WarmUpAsync(runner, target, workload with { Orders = warmupOrders }, console, cancellationToken);
                        if (parse.GetValue(inProcess))
                        {
                            // The compiled code stays with the process; the warm-up's grains and state go with its
                            // silo. One round on the new silo starts its agents, queues and consumer activations.
                            await target.DisposeAsync();
                            target = await StartAsync();
                            await runner.RunAsync(target, Workload.Create(workload with { Orders = warmupOrders }, NewRunId()), cancellationToken);
                        }
                    }

                    // A fresh run id per run: keys and skus of one run never meet another's.
                    results.Add(await runner.RunAsync(target, Workload.Create(workload, NewRunId()), cancellationToken));
                }
                finally
                {
                    await target.DisposeAsync();
                }
            }

            var comparison = results.Count == 2 ? Comparison.Of(results[1], results[0]) : null;
            Report.Write(console, results, comparison);
            if (parse.GetValue(json) is { } file)
            {
                await Report.WriteJsonAsync(file, new { workload, load, hostSettings, target = parse.GetValue(url)?.ToString() ?? "in-process" }, results, comparison);
                console.MarkupLineInterpolated($"[grey]results written to {file.FullName}[/]");
            }

            return results.All(r => r.Passed) ? 0 : 1;
        });
        return root;
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

    private static T? Error<T>(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return default;
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static Option<int> Positive(Option<int> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() <= 0)
            {
                result.AddError($"{option.Name} must be positive.");
            }
        });
        return option;
    }

    private static Option<double> Share(Option<double> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is < 0 or > 1)
            {
                result.AddError($"{option.Name} is a share between 0 and 1.");
            }
        });
        return option;
    }
}
