using System.Globalization;
using System.Text.Json;
using Marketplace.LoadTest;
using Spectre.Console;
using Xunit.Abstractions;

namespace Marketplace.Tests.LoadTest;

/// <summary>
/// The load generator as CI runs it: a short smoke through the real command line, in process
/// against the synchronous chain, and over HTTP against the real host.
/// </summary>
public sealed class LoadTestToolTests(HostFixture host, ITestOutputHelper output) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task In_process_with_the_direct_comparison_every_order_concludes_and_every_invariant_holds()
    {
        var json = Path.Combine(Path.GetTempPath(), $"loadtest-{Guid.NewGuid():N}.json");
        var (exit, text) = await RunAsync("--in-process", "--orders", "300", "--concurrency", "100", "--compare", "direct", "--warmup", "50", "--json", json);

        Assert.True(exit == 0, text);
        using var results = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var runs = results.RootElement.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(["direct", "event-driven"], runs.Select(r => r.GetProperty("mode").GetString()));
        foreach (var run in runs)
        {
            Assert.Equal(300, run.GetProperty("orders").GetInt32());
            Assert.Equal(300, run.GetProperty("fulfilled").GetInt32() + run.GetProperty("cancelled").GetInt32());
            Assert.True(run.GetProperty("cancelled").GetInt32() > 0, "the workload's declines and scarce stock cancel some orders");
            Assert.Empty(run.GetProperty("invariantViolations").EnumerateArray());
            Assert.Equal(300, run.GetProperty("placedToTerminal").GetProperty("count").GetInt64());
            Assert.True(run.GetProperty("completedPerSecond").GetDouble() > 0);
        }

        // Only the event path has consumers; every one of the six reported its handling times.
        Assert.Empty(runs[0].GetProperty("consumerHandling").EnumerateObject());
        Assert.Superset(new HashSet<string> { "email", "inventory", "loyalty", "payment", "reporting", "shipping" },
            runs[1].GetProperty("consumerHandling").EnumerateObject().Select(p => p.Name).ToHashSet());
        Assert.True(results.RootElement.GetProperty("comparison").GetProperty("throughput").GetDouble() > 0);
        Assert.Contains("saga-complete / s", text, StringComparison.Ordinal);

        // The calls of the run itself (not the seeding, the warm-up or the invariant check): one
        // checkout per order, and each path's own calls only on that path.
        var direct = runs[0].GetProperty("grainCalls");
        var events = runs[1].GetProperty("grainCalls");
        Assert.Equal(300, direct.GetProperty("DirectOrderGrain.PlaceAsync").GetInt64());
        Assert.Equal(300, events.GetProperty("OrderGrain.PlaceAsync").GetInt64());
        Assert.False(direct.TryGetProperty("OrderGrain.AppendAsync", out _));
        Assert.True(events.GetProperty("OrderGrain.AppendAsync").GetInt64() >= 300, "every order records at least one outcome");
        Assert.True(events.GetProperty("MemoryStreamQueueGrain.Enqueue").GetInt64() > 0);
        Assert.All(runs, run => Assert.True(run.GetProperty("grainCallsPerOrder").GetDouble() > 1));
        Assert.Contains("grain calls per order", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_http_against_the_running_host_every_order_concludes_and_every_invariant_holds()
    {
        // The host runs in this process here, so its CPU is this process's.
        var (exit, text) = await RunAsync("--url", host.Http.BaseAddress!.ToString(), "--host-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            "--orders", "100", "--concurrency", "50", "--customers", "20", "--warmup", "0");

        Assert.True(exit == 0, text);
        Assert.Contains("all hold", text, StringComparison.Ordinal);
        Assert.Contains("host CPU, s (per order, ms)", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Choose one target", "--orders", "10")]
    [InlineData("Choose one target", "--in-process", "--url", "http://localhost:1/")]
    [InlineData("--compare direct needs --in-process", "--url", "http://localhost:1/", "--compare", "direct")]
    [InlineData("share between 0 and 1", "--in-process", "--declined", "1.5")]
    [InlineData("must be positive", "--in-process", "--orders", "0")]
    [InlineData("KEY=VALUE", "--in-process", "--set", "Marketplace:Profile")]
    [InlineData("absolute http(s) address", "--url", "localhost:5000")]
    [InlineData("--api-key goes with --url", "--in-process", "--api-key", "some-key")]
    [InlineData("--host-pid goes with --url", "--in-process", "--host-pid", "1")]
    [InlineData("names a process running on this machine", "--url", "http://localhost:1/", "--host-pid", "2147483000")]
    public async Task Bad_arguments_are_refused_with_a_reason_before_anything_runs(string reason, params string[] args)
    {
        var (exit, text) = await RunAsync(args);

        Assert.NotEqual(0, exit);
        Assert.Contains(reason, text, StringComparison.Ordinal);
    }

    internal static async Task<(int Exit, string Text)> RunAsync(ITestOutputHelper output, params string[] args)
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Interactive = InteractionSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        var parse = LoadTestCommand.Create(console).Parse(args);
        var exit = await parse.InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = writer, Error = writer });
        var text = writer.ToString();
        output.WriteLine(text);
        return (exit, text);
    }

    private Task<(int Exit, string Text)> RunAsync(params string[] args) => RunAsync(output, args);
}

/// <summary>The apikey host with its order limit raised for a load run.</summary>
public sealed class LoadRunApiKeyHostFixture : Security.ApiKeyHostFixture
{
    protected override IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>
    {
        ["Marketplace:RateLimits:Orders:PermitLimit"] = "1000000",
    };
}

public sealed class LoadTestToolOnSecuredHostTests(LoadRunApiKeyHostFixture host, ITestOutputHelper output) : IClassFixture<LoadRunApiKeyHostFixture>
{
    [Fact]
    public async Task Over_http_with_an_admin_key_against_a_host_in_apikey_mode_every_order_concludes_and_every_invariant_holds()
    {
        var (exit, text) = await LoadTestToolTests.RunAsync(output, "--url", host.Http.BaseAddress!.ToString(), "--api-key", Security.ApiKeyHostFixture.AdminKey,
            "--orders", "100", "--concurrency", "50", "--customers", "20", "--warmup", "0");

        Assert.True(exit == 0, text);
        Assert.Contains("all hold", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_http_without_a_key_against_a_host_in_apikey_mode_the_run_fails_with_the_hosts_answer()
    {
        var (exit, text) = await LoadTestToolTests.RunAsync(output, "--url", host.Http.BaseAddress!.ToString(), "--orders", "5", "--warmup", "0");

        Assert.NotEqual(0, exit);
        Assert.Contains("401", text, StringComparison.Ordinal);
    }
}
