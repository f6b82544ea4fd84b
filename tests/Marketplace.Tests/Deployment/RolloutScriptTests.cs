using System.Diagnostics;

namespace Marketplace.Tests.Deployment;

/// <summary>
/// The postdeploy rollout (<c>infra/scripts/roll-silos.sh</c>) against a stand-in <c>az</c> that
/// plays Container Apps (an updated app's new revision becomes ready after a few checks, or never)
/// and answers <c>az rest</c> from a real host's <c>GET /api/admin/cluster</c>, the query evaluated
/// by JMESPath as the Azure CLI does. Every case runs the POSIX script and its PowerShell twin.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the stand-in az is a shell script
public sealed class RolloutScriptTests(RolloutHosts hosts) : IDisposable, IClassFixture<RolloutHosts>
{
    private const string FakeAz = """
        #!/bin/sh
        # Container Apps as the rollout sees it: an updated app's new revision is ready from its second
        # check on, except the app named stuck. Revision names are <app>--old and <app>--new.
        dir=$(dirname "$0")
        if [ "$1" = rest ]; then echo "rest" >> "$dir/calls"; exec node "$dir/rest.js" "$@"; fi
        command="$2"
        name=$(echo "$*" | sed 's/.*--name \([^ ]*\).*/\1/')
        echo "$command $name" >> "$dir/calls"
        case "$command" in
          update) echo new > "$dir/$name.latest"; echo 0 > "$dir/$name.checks" ;;
          show)
            latest=$(cat "$dir/$name.latest" 2>/dev/null || echo old)
            checks=$(( $(cat "$dir/$name.checks" 2>/dev/null || echo 0) + 1 )); echo "$checks" > "$dir/$name.checks"
            ready=old
            if [ "$latest" = old ] || { [ "$checks" -ge 2 ] && [ "$name" != stuck ]; }; then ready=$latest; fi
            case "$*" in
              *"--output json"*) printf '["%s","%s"]\n' "$name--$latest" "$name--$ready" ;;
              *) printf '%s\t%s\n' "$name--$latest" "$name--$ready" ;;
            esac ;;
        esac
        """;

    /// <summary><c>az rest --url U --resource R [--query Q] --output tsv|json</c>: a GET with a bearer token, the result as the CLI prints it.</summary>
    private const string FakeRest = """
        const jmespath = require(process.env.JMESPATH_MODULE);
        const arg = name => process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
        (async () => {
          const response = await fetch(arg('--url'), { headers: { authorization: `Bearer token-for-${arg('--resource')}` } });
          if (!response.ok) { console.error(`ERROR: ${response.status}`); process.exit(1); }
          const body = await response.json();
          const result = arg('--query') ? jmespath.search(body, arg('--query')) : body;
          if (arg('--output') !== 'tsv') { console.log(JSON.stringify(result)); return; }
          const row = r => Array.isArray(r) ? r.join('\t') : String(r);
          console.log(Array.isArray(result) ? result.map(row).join('\n') : row(result));
        })();
        """;

    private readonly string bin = FakeAzDirectory();

    private static string FakeAzDirectory()
    {
        var bin = Directory.CreateTempSubdirectory("fake-az").FullName;
        File.WriteAllText(Path.Combine(bin, "az"), FakeAz.Replace("\r\n", "\n", StringComparison.Ordinal));
        File.SetUnixFileMode(Path.Combine(bin, "az"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(bin, "rest.js"), FakeRest);
        return bin;
    }

    public void Dispose() => Directory.Delete(bin, recursive: true);

    [Theory]
    [InlineData(Sh)]
    [InlineData(Pwsh)]
    public async Task Each_silo_then_the_api_is_updated_only_once_the_one_before_is_ready(string script)
    {
        var (exit, output) = await RollAsync(script, """["silo0","silo1","silo2"]""");

        Assert.Equal(0, exit);
        Assert.Contains("checking readiness only", output, StringComparison.Ordinal); // no app registration: no admin token
        Assert.DoesNotContain("rest", Calls());
        var calls = Calls();
        // silo0 checked before anything changes; each updated app checked until ready before the next update.
        Assert.Equal("show silo0", calls[0]);
        Assert.Equal(["update silo1", "show silo1", "show silo1", "update silo2", "show silo2", "show silo2", "update api", "show api", "show api"], calls.Skip(1));
    }

    [Theory]
    [InlineData(Sh)]
    [InlineData(Pwsh)]
    public async Task A_silo_that_never_gets_ready_stops_the_rollout_with_an_error_and_the_rest_untouched(string script)
    {
        var (exit, output) = await RollAsync(script, """["silo0","stuck","silo2"]""");

        Assert.NotEqual(0, exit);
        Assert.Contains("stuck", output, StringComparison.Ordinal);
        Assert.DoesNotContain("update silo2", Calls());
        Assert.DoesNotContain("update api", Calls());
    }

    [Theory]
    [InlineData(Sh)]
    [InlineData(Pwsh)]
    public async Task With_an_app_registration_each_silo_must_be_active_in_the_cluster_before_the_next_and_the_api(string script)
    {
        var (exit, output) = await RollAsync(script, """["silo0"]""", await hosts.LoneSiloAsync());

        Assert.True(exit == 0, output);
        Assert.Equal(["show silo0", "rest", "rest", "update api", "show api", "show api"], Calls());
    }

    [Theory]
    [InlineData(Sh)]
    [InlineData(Pwsh)]
    public async Task A_silo_whose_new_revision_never_joins_the_cluster_stops_the_rollout_loudly(string script)
    {
        // silo1's new revision gets ready (the platform says so) but no silo of it is in the cluster.
        var (exit, output) = await RollAsync(script, """["silo0","silo1"]""", await hosts.LoneSiloAsync());

        Assert.NotEqual(0, exit);
        Assert.Contains("silo1: no silo of revision silo1--new is Active in the cluster", output, StringComparison.Ordinal);
        Assert.Contains("silo0--old-7d9f-x2k", output, StringComparison.Ordinal); // the cluster as it is, for the operator
        Assert.DoesNotContain("update api", Calls());
    }

    [Theory]
    [InlineData(Sh)]
    [InlineData(Pwsh)]
    public async Task A_silo_that_reads_no_partitions_fails_the_rollout_loudly(string script)
    {
        var (exit, output) = await RollAsync(script, """["silo0","silo1"]""", await hosts.TwoSilosOneQueueAsync());

        Assert.NotEqual(0, exit);
        Assert.Contains("not every silo is Active and reading partitions", output, StringComparison.Ordinal);
        Assert.Contains("update silo1", Calls()); // both joined; the last check failed
        Assert.DoesNotContain("update api", Calls());
    }

    private List<string> Calls() => [.. File.ReadAllLines(Path.Combine(bin, "calls"))];

    /// <summary>Runs the script; with a host, as after an app registration, checking membership through the host's cluster endpoint.</summary>
    private const string Sh = "roll-silos.sh";
    private const string Pwsh = "roll-silos.ps1";

    private async Task<(int Exit, string Output)> RollAsync(string script, string apps, SiloProcess? host = null)
    {
        var path = Path.Combine(Azurite.RepoRoot(), "infra", "scripts", script);
        var start = script == Sh
            ? new ProcessStartInfo("sh", [path])
            : new ProcessStartInfo("dotnet", ["tool", "run", "pwsh", "--", "-NoProfile", "-NonInteractive", "-File", path]) { WorkingDirectory = Azurite.RepoRoot() };
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}",
            ["SERVICE_SILO_IMAGE_NAME"] = "registry/silo:new",
            ["AZURE_RESOURCE_GROUP"] = "rg",
            ["MARKETPLACE_SILO_APPS"] = apps,
            ["MARKETPLACE_API_APP"] = "api",
            ["MARKETPLACE_ROLL_PAUSE"] = "0",
            ["MARKETPLACE_ROLL_ATTEMPTS"] = "5",
        })
        {
            start.Environment[key] = value;
        }

        if (host is not null)
        {
            start.Environment["MARKETPLACE_API_AUDIENCE"] = "00000000-0000-0000-0000-0000000000a1";
            start.Environment["MARKETPLACE_URL"] = host.Http.BaseAddress!.ToString().TrimEnd('/');
            start.Environment["JMESPATH_MODULE"] = Path.Combine(Azurite.RepoRoot(), "node_modules", "jmespath");
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output + await errors);
    }
}

/// <summary>
/// The real hosts the rollout tests check membership through, started once for the class: a lone
/// silo named as a replica of silo0's current revision (Container Apps sets the variable), and two
/// silos of one cluster sharing one stream queue, so that one of them reads nothing.
/// </summary>
public sealed class RolloutHosts : IAsyncLifetime
{
    private readonly List<SiloProcess> started = [];
    private readonly Lazy<Task<SiloProcess>> lone;
    private readonly Lazy<Task<SiloProcess>> twoSilos;

    public RolloutHosts()
    {
        lone = new(() => StartAsync(new Dictionary<string, string> { ["CONTAINER_APP_REPLICA_NAME"] = "silo0--old-7d9f-x2k" }));
        twoSilos = new(async () =>
        {
            var settings = await SiloProcess.TableClusterSettingsAsync(Shop.NewId("cluster"));
            settings["Marketplace:Streams"] = "memory";
            settings["Marketplace:MemoryStreams:Partitions"] = "1";
            var silos = await Task.WhenAll(
                StartAsync(new Dictionary<string, string>(settings) { ["CONTAINER_APP_REPLICA_NAME"] = "silo0--old-a" }),
                StartAsync(new Dictionary<string, string>(settings) { ["CONTAINER_APP_REPLICA_NAME"] = "silo1--new-b" }));
            return silos[0];
        });
    }

    public Task<SiloProcess> LoneSiloAsync() => lone.Value;

    public Task<SiloProcess> TwoSilosOneQueueAsync() => twoSilos.Value;

    public Task InitializeAsync() => Task.CompletedTask; // each host starts when a test first needs it

    public async Task DisposeAsync()
    {
        foreach (var silo in started)
        {
            await silo.DisposeAsync();
        }
    }

    private async Task<SiloProcess> StartAsync(Dictionary<string, string> settings)
    {
        var silo = SiloProcess.Start(settings);
        lock (started)
        {
            started.Add(silo);
        }

        await silo.WaitReadyAsync();
        return silo;
    }
}
