using System.CommandLine;
using System.CommandLine.Parsing;
using Marketplace.LoadTest.Targets;

namespace Marketplace.LoadTest;

/// <summary>The command line's options, and the rules between them.</summary>
public sealed class LoadTestOptions
{
    public LoadTestOptions() => Compare.AcceptOnlyFromAmong("direct");

    public Option<bool> InProcess { get; } = new Option<bool>("--in-process") { Description = "Run a one-silo cluster in this process (embedded profile) and drive its grains: no HTTP." };

    public Option<Uri?> Url { get; } = new Option<Uri?>("--url")
    {
        Description = "Drive a running host over its HTTP API, e.g. http://localhost:5000/.",
        CustomParser = result => Uri.TryCreate(result.Tokens[0].Value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : Error<Uri>(result, $"--url takes an absolute http(s) address, not '{result.Tokens[0].Value}'."),
    };

    public Option<string?> ApiKey { get; } = new Option<string?>("--api-key") { Description = "With --url: an admin key of a host in apikey mode, sent as X-Api-Key (raise the host's Marketplace:RateLimits:Orders for a run)." };

    public Option<int?> HostPid { get; } = new Option<int?>("--host-pid") { Description = "With --url: the process id of the host, when it runs on this machine; its CPU is reported per order." };

    public Option<int> Orders { get; } = Positive(new Option<int>("--orders", "-n") { Description = "Orders to place.", DefaultValueFactory = _ => 2_000 });

    public Option<int> Concurrency { get; } = Positive(new Option<int>("--concurrency", "-c") { Description = "Orders in flight (placed, not yet concluded) at most.", DefaultValueFactory = _ => 500 });

    public Option<double?> Rate { get; } = new Option<double?>("--rate", "-r") { Description = "Offer this many orders per second instead (open loop); --concurrency is then ignored." };

    public Option<int> Customers { get; } = Positive(new Option<int>("--customers") { Description = "Distinct customers.", DefaultValueFactory = _ => 1_000 });

    public Option<int> Skus { get; } = Positive(new Option<int>("--skus") { Description = "Products in the catalog.", DefaultValueFactory = _ => 50 });

    public Option<int> Scarce { get; } = new Option<int>("--scarce-skus") { Description = "Products stocked for half their demand (out-of-stock cancellations).", DefaultValueFactory = _ => 5 };

    public Option<double> Declined { get; } = Share(new Option<double>("--declined") { Description = "Share of orders paid with a declined card.", DefaultValueFactory = _ => 0.05 });

    public Option<double> Errors { get; } = Share(new Option<double>("--processing-errors") { Description = "Share of orders whose payment fails transiently first (retries).", DefaultValueFactory = _ => 0.005 });

    public Option<int> Seed { get; } = new Option<int>("--seed") { Description = "Seed of the workload: the same seed places the same orders.", DefaultValueFactory = _ => 42 };

    public Option<string?> Compare { get; } = new Option<string?>("--compare") { Description = "Also run the same workload through the synchronous chain and compare (in process only)." };

    public Option<FileInfo?> Json { get; } = new Option<FileInfo?>("--json") { Description = "Write the results as JSON to this file." };

    public Option<int> Warmup { get; } = new Option<int>("--warmup") { Description = "Orders per warm-up round, placed first on each target and not measured. Rounds repeat (up to 10) until the JIT has settled, so that both modes are measured on optimized code with the grains' types loaded.", DefaultValueFactory = _ => 1_000 };

    public Option<int> Timeout { get; } = Positive(new Option<int>("--timeout") { Description = "Seconds every order may take to conclude.", DefaultValueFactory = _ => 600 });

    public Option<string[]> Settings { get; } = new Option<string[]>("--set") { Description = "Host configuration for the in-process cluster, KEY=VALUE (e.g. Marketplace:MemoryStreams:PollPeriod=00:00:00.010).", AllowMultipleArgumentsPerToken = true };

    public IEnumerable<Option> All => [InProcess, Url, ApiKey, HostPid, Orders, Concurrency, Rate, Customers, Skus, Scarce, Declined, Errors, Seed, Compare, Json, Warmup, Timeout, Settings];

    public void Validate(CommandResult result)
    {
        if (result.GetValue(InProcess) == (result.GetResult(Url) is not null))
        {
            result.AddError("Choose one target: --in-process or --url.");
        }
        else if (result.GetResult(ApiKey) is not null && result.GetResult(Url) is null)
        {
            result.AddError("--api-key goes with --url: the in-process cluster has no HTTP.");
        }
        else if (result.GetValue(HostPid) is { } pid && (result.GetResult(Url) is null || !IsRunning(pid)))
        {
            result.AddError($"--host-pid goes with --url and names a process running on this machine; {pid} does not.");
        }
        else if (result.GetValue(Compare) is not null && !result.GetValue(InProcess))
        {
            result.AddError("--compare direct needs --in-process: the synchronous chain runs in this process.");
        }
        else if (result.GetValue(Settings)?.FirstOrDefault(s => !s.Contains('=', StringComparison.Ordinal)) is { } bad)
        {
            result.AddError($"--set takes KEY=VALUE, not '{bad}'.");
        }
    }

    private static T? Error<T>(ArgumentResult result, string message)
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

/// <summary>One invocation's values, read from the command line.</summary>
public sealed class LoadTestRun(ParseResult parse, LoadTestOptions options)
{
    public WorkloadSettings Workload { get; } = new(
        parse.GetValue(options.Orders), parse.GetValue(options.Customers), parse.GetValue(options.Skus), parse.GetValue(options.Scarce),
        parse.GetValue(options.Declined), parse.GetValue(options.Errors), parse.GetValue(options.Seed));

    public LoadSettings Load { get; } = new(
        parse.GetValue(options.Concurrency), parse.GetValue(options.Rate), TimeSpan.FromSeconds(parse.GetValue(options.Timeout)), TimeSpan.FromSeconds(60), parse.GetValue(options.HostPid));

    public Dictionary<string, string?> HostSettings { get; } = (parse.GetValue(options.Settings) ?? []).Select(s => s.Split('=', 2)).ToDictionary(p => p[0], p => (string?)p[1]);

    /// <summary>Direct first when comparing: the baseline.</summary>
    public bool[] Modes { get; } = parse.GetValue(options.Compare) is null ? [false] : [true, false];

    public Uri? Url { get; } = parse.GetValue(options.Url);

    public FileInfo? Json { get; } = parse.GetValue(options.Json);

    public int WarmupOrders { get; } = parse.GetValue(options.Warmup);

    private readonly string? apiKey = parse.GetValue(options.ApiKey);

    public async Task<IMarketplaceTarget> StartTargetAsync(bool direct) => Url is { } address
        ? new HttpTarget(address, apiKey)
        : await InProcessTarget.StartAsync(direct, HostSettings);
}
