using System.Collections.Concurrent;
using System.Diagnostics;
using Marketplace.LoadTest.Invariants;
using Marketplace.LoadTest.Targets;
using Spectre.Console;

namespace Marketplace.LoadTest.Running;

/// <summary>How hard to push: a number of orders in flight (closed loop) or an offered rate (open loop).</summary>
/// <param name="Concurrency">Orders placed and not yet concluded, at most; ignored when <paramref name="Rate"/> is set.</param>
/// <param name="Rate">Orders placed per second, whatever the system does with them.</param>
/// <param name="Timeout">How long every order may take to conclude.</param>
/// <param name="SettleTimeout">How long the downstream views may take to agree once every order concluded.</param>
public sealed record LoadSettings(int Concurrency, double? Rate, TimeSpan Timeout, TimeSpan SettleTimeout, int? HostProcessId = null);

/// <summary>Seeds the catalog, places the workload's orders, waits for every one to conclude, and checks the invariants.</summary>
public sealed class LoadRunner(LoadSettings settings, IAnsiConsole console)
{
    private static readonly TimeSpan PlaceRetryDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestPlaceRetryDelay = TimeSpan.FromSeconds(4);

    /// <summary>How long a checkout is retried: longer than a silo's loss takes to be noticed and its grains to move.</summary>
    private static readonly TimeSpan PlaceRetryBudget = TimeSpan.FromMinutes(1);

    public async Task<RunResult> RunAsync(IMarketplaceTarget target, Workload workload, CancellationToken cancellationToken)
    {
        foreach (var chunk in workload.Products.Chunk(32))
        {
            await Task.WhenAll(chunk.Select(target.UpsertProductAsync));
        }

        var reportBefore = await target.View.GetSalesReportAsync();
        var orders = workload.Orders;
        var terminal = new LatencyRecorder();
        var placeCall = new LatencyRecorder();
        var placedIds = new ConcurrentQueue<string>();
        var concluded = 0;
        var failed = 0;
        var allConcluded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var inFlight = new SemaphoreSlim(settings.Concurrency);
        void OnConcluded(TimeSpan latency)
        {
            terminal.Record(latency);
            inFlight.Release();
            if (Interlocked.Increment(ref concluded) + Volatile.Read(ref failed) >= orders.Count)
            {
                allConcluded.TrySetResult();
            }
        }

        target.Concluded += OnConcluded;
        target.GrainCalls?.Reset();
        using var sampler = new ProcessSampler(settings.HostProcessId);
        var clock = Stopwatch.StartNew();
        TimeSpan placing = default;
        try
        {
            await console.Progress().AutoClear(false).StartAsync(async progress =>
            {
                var placedBar = progress.AddTask($"{target.Mode}: placed", maxValue: orders.Count);
                var concludedBar = progress.AddTask($"{target.Mode}: concluded", maxValue: orders.Count);
                var placements = new InFlightCount();
                for (var i = 0; i < orders.Count; i++)
                {
                    await PaceAsync(i, clock, inFlight, cancellationToken);
                    var order = orders[i];
                    placements.Add();
                    _ = Task.Run(async () =>
                    {
                        try
                        {
                            var started = Stopwatch.GetTimestamp();
                            if (await PlaceWithRetryAsync(target, order, cancellationToken) is { } id)
                            {
                                placeCall.Record(Stopwatch.GetElapsedTime(started));
                                placedIds.Enqueue(id);
                            }
                            else
                            {
                                inFlight.Release();
                                if (Interlocked.Increment(ref failed) + Volatile.Read(ref concluded) >= orders.Count)
                                {
                                    allConcluded.TrySetResult();
                                }
                            }
                        }
                        finally
                        {
                            placements.Done();
                        }
                    }, CancellationToken.None);
                    (placedBar.Value, concludedBar.Value) = (placedIds.Count, Volatile.Read(ref concluded));
                }

                placements.Done();
                await placements.AllDone.WaitAsync(cancellationToken);
                placing = clock.Elapsed;
                placedBar.Value = placedIds.Count;
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                deadline.CancelAfter(settings.Timeout);
                while (!allConcluded.Task.IsCompleted && !deadline.IsCancellationRequested)
                {
                    await Task.WhenAny(allConcluded.Task, Task.Delay(250, deadline.Token).ContinueWith(_ => { }, TaskScheduler.Default));
                    concludedBar.Value = Volatile.Read(ref concluded);
                }
            });
        }
        finally
        {
            target.Concluded -= OnConcluded;
        }

        var elapsed = clock.Elapsed;
        var resources = sampler.Stop();
        var grainCalls = target.GrainCalls?.Snapshot() ?? new Dictionary<string, long>();
        console.MarkupLine($"[grey]{target.Mode}: {concluded:N0} of {orders.Count:N0} orders concluded in {elapsed.TotalSeconds:F1} s; checking the invariants[/]");
        var history = new ShopHistory([.. placedIds], workload.Products.ToDictionary(p => p.Sku, p => p.Stock), reportBefore);
        var invariants = await InvariantChecker.CheckWhenQuietAsync(target.View, history, settings.SettleTimeout, cancellationToken);
        var violations = invariants.Violations.ToList();
        if (failed > 0)
        {
            violations.Insert(0, $"{failed} order(s) could not be placed");
        }

        return new RunResult(
            target.Mode, orders.Count, failed, invariants.Fulfilled, invariants.Cancelled,
            Math.Round(elapsed.TotalSeconds, 2),
            Math.Round(placedIds.Count / placing.TotalSeconds, 1),
            Math.Round(concluded / elapsed.TotalSeconds, 1),
            terminal.Summary(), placeCall.Summary(),
            target.ConsumerTimings?.Summaries() ?? new Dictionary<string, LatencySummary>(),
            Math.Round(resources.CpuSeconds, 2), resources.HostCpuSeconds is { } host ? Math.Round(host, 2) : null, Math.Round(resources.PeakMemoryMiB, 1),
            resources.Gen0, resources.Gen1, resources.Gen2, Math.Round(resources.GcPauseSeconds, 3),
            Math.Round(resources.AllocatedBytes / 1024.0 / Math.Max(1, orders.Count), 1),
            grainCalls,
            violations,
            target.LargestStoredStates());
    }

    /// <summary>Open loop: wait for the order's slot in the offered rate. Closed loop: wait for room in flight.</summary>
    private async Task PaceAsync(int index, Stopwatch clock, SemaphoreSlim inFlight, CancellationToken cancellationToken)
    {
        if (settings.Rate is { } rate)
        {
            var due = TimeSpan.FromSeconds(index / rate) - clock.Elapsed;
            if (due > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(due, cancellationToken);
            }

            return;
        }

        await inFlight.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Retries a checkout that failed for a moment (a 503 or a timeout while a silo is lost, a 429)
    /// under the same key, as a client would, backing off; a request refused for what it is (another
    /// 4xx) is not retried.
    /// </summary>
    private async Task<string?> PlaceWithRetryAsync(IMarketplaceTarget target, PlannedOrder order, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var delay = PlaceRetryDelay;
        while (true)
        {
            try
            {
                return await target.PlaceAsync(order, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                if (IsRefusal(ex) || started.Elapsed > PlaceRetryBudget)
                {
                    console.MarkupLineInterpolated($"[red]order {order.Key} could not be placed: {ex.Message}[/]");
                    return null;
                }

                await Task.Delay(delay, cancellationToken);
                delay = delay * 2 < LongestPlaceRetryDelay ? delay * 2 : LongestPlaceRetryDelay;
            }
        }
    }

    private static bool IsRefusal(Exception ex) =>
        ex is HttpRequestException { StatusCode: { } status } && (int)status < 500 && status != System.Net.HttpStatusCode.TooManyRequests;

    /// <summary>
    /// Work in flight, counted rather than collected: a task kept per order would be memory growing
    /// with the run. Starts at one, the starter's own share, which its last <see cref="Done"/> gives back.
    /// </summary>
    private sealed class InFlightCount
    {
        private readonly TaskCompletionSource allDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int count = 1;

        public Task AllDone => allDone.Task;

        public void Add() => Interlocked.Increment(ref count);

        public void Done()
        {
            if (Interlocked.Decrement(ref count) == 0)
            {
                allDone.TrySetResult();
            }
        }
    }
}
