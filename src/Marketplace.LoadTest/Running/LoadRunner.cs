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
        using var run = new RunProgress(workload.Orders.Count, settings.Concurrency);
        target.Concluded += run.Concluded;
        target.GrainCalls?.Reset();
        using var sampler = new ProcessSampler(settings.HostProcessId);
        var clock = Stopwatch.StartNew();
        TimeSpan placing = default;
        try
        {
            await console.Progress().AutoClear(false).StartAsync(async progress =>
            {
                var placed = progress.AddTask($"{target.Mode}: placed", maxValue: workload.Orders.Count);
                var concluded = progress.AddTask($"{target.Mode}: concluded", maxValue: workload.Orders.Count);
                await PlaceAllAsync(target, workload.Orders, run, clock, () => (placed.Value, concluded.Value) = (run.PlacedIds.Count, run.ConcludedCount), cancellationToken);
                placing = clock.Elapsed;
                placed.Value = run.PlacedIds.Count;
                await WaitForConclusionsAsync(run, () => concluded.Value = run.ConcludedCount, cancellationToken);
            });
        }
        finally
        {
            target.Concluded -= run.Concluded;
        }

        var elapsed = clock.Elapsed;
        var resources = sampler.Stop();
        var grainCalls = target.GrainCalls?.Snapshot() ?? new Dictionary<string, long>();
        console.MarkupLine($"[grey]{target.Mode}: {run.ConcludedCount:N0} of {workload.Orders.Count:N0} orders concluded in {elapsed.TotalSeconds:F1} s; checking the invariants[/]");
        var history = new ShopHistory([.. run.PlacedIds], workload.Products.ToDictionary(p => p.Sku, p => p.Stock), reportBefore);
        var invariants = await InvariantChecker.CheckWhenQuietAsync(target.View, history, settings.SettleTimeout, cancellationToken);
        var violations = invariants.Violations.ToList();
        if (run.FailedCount > 0)
        {
            violations.Insert(0, $"{run.FailedCount} order(s) could not be placed");
        }

        return new RunResult(
            target.Mode, workload.Orders.Count, run.FailedCount, invariants.Fulfilled, invariants.Cancelled,
            Math.Round(elapsed.TotalSeconds, 2),
            Math.Round(run.PlacedIds.Count / placing.TotalSeconds, 1),
            Math.Round(run.ConcludedCount / elapsed.TotalSeconds, 1),
            run.Terminal.Summary(), run.PlaceCall.Summary(),
            target.ConsumerTimings?.Summaries() ?? new Dictionary<string, LatencySummary>(),
            Math.Round(resources.CpuSeconds, 2), resources.HostCpuSeconds is { } host ? Math.Round(host, 2) : null, Math.Round(resources.PeakMemoryMiB, 1),
            resources.Gen0, resources.Gen1, resources.Gen2, Math.Round(resources.GcPauseSeconds, 3),
            Math.Round(resources.AllocatedBytes / 1024.0 / Math.Max(1, workload.Orders.Count), 1),
            grainCalls,
            violations,
            target.LargestStoredStates());
    }

    /// <summary>Places every order at the pace asked for, each in the background; returns once every placement has answered.</summary>
    private async Task PlaceAllAsync(IMarketplaceTarget target, IReadOnlyList<PlannedOrder> orders, RunProgress run, Stopwatch clock, Action showProgress, CancellationToken cancellationToken)
    {
        var placements = new InFlightCount();
        for (var i = 0; i < orders.Count; i++)
        {
            await PaceAsync(i, clock, run.InFlight, cancellationToken);
            var order = orders[i];
            placements.Add();
            _ = Task.Run(async () =>
            {
                try
                {
                    var started = Stopwatch.GetTimestamp();
                    if (await PlaceWithRetryAsync(target, order, cancellationToken) is { } id)
                    {
                        run.Placed(id, Stopwatch.GetElapsedTime(started));
                    }
                    else
                    {
                        run.Failed();
                    }
                }
                finally
                {
                    placements.Done();
                }
            }, CancellationToken.None);
            showProgress();
        }

        placements.Done();
        await placements.AllDone.WaitAsync(cancellationToken);
    }

    /// <summary>Waits until every placed order concluded, or the run's timeout passed.</summary>
    private async Task WaitForConclusionsAsync(RunProgress run, Action showProgress, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Timeout);
        while (!run.AllConcluded.IsCompleted && !deadline.IsCancellationRequested)
        {
            await Task.WhenAny(run.AllConcluded, Task.Delay(250, deadline.Token).ContinueWith(_ => { }, TaskScheduler.Default));
            showProgress();
        }
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

    /// <summary>
    /// What a run has seen so far, updated from many threads: orders placed, concluded and failed,
    /// their latencies, and the room left for orders in flight (closed loop).
    /// </summary>
    private sealed class RunProgress(int orders, int concurrency) : IDisposable
    {
        private readonly TaskCompletionSource allConcluded = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int concluded;
        private int failed;

        public SemaphoreSlim InFlight { get; } = new(concurrency);

        public ConcurrentQueue<string> PlacedIds { get; } = new();

        public LatencyRecorder Terminal { get; } = new();

        public LatencyRecorder PlaceCall { get; } = new();

        public int ConcludedCount => Volatile.Read(ref concluded);

        public int FailedCount => Volatile.Read(ref failed);

        public Task AllConcluded => allConcluded.Task;

        public void Placed(string orderId, TimeSpan call)
        {
            PlaceCall.Record(call);
            PlacedIds.Enqueue(orderId);
        }

        public void Concluded(TimeSpan latency)
        {
            Terminal.Record(latency);
            InFlight.Release();
            Settle(Interlocked.Increment(ref concluded) + FailedCount);
        }

        public void Failed()
        {
            InFlight.Release();
            Settle(Interlocked.Increment(ref failed) + ConcludedCount);
        }

        public void Dispose() => InFlight.Dispose();

        private void Settle(int done)
        {
            if (done >= orders)
            {
                allConcluded.TrySetResult();
            }
        }
    }
}
