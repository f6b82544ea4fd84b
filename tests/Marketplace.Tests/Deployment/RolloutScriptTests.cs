using System.Diagnostics;

namespace Marketplace.Tests.Deployment;

/// <summary>
/// The postdeploy rollout (<c>infra/scripts/roll-silos.sh</c>) against a stand-in <c>az</c> that
/// plays Container Apps: an updated app's new revision becomes ready after a few checks, or never.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the POSIX script; roll-silos.ps1 is its Windows twin
public sealed class RolloutScriptTests : IDisposable
{
    private const string FakeAz = """
        #!/bin/sh
        # Container Apps as the rollout sees it: an updated app's new revision is ready from its second check on, except the app named stuck.
        dir=$(dirname "$0")
        echo "$2 $(echo "$*" | sed 's/.*--name \([^ ]*\).*/\1/')" >> "$dir/calls"
        command="$2"
        name=$(echo "$*" | sed 's/.*--name \([^ ]*\).*/\1/')
        case "$command" in
          update) echo new > "$dir/$name.latest"; echo 0 > "$dir/$name.checks" ;;
          show)
            latest=$(cat "$dir/$name.latest" 2>/dev/null || echo old)
            checks=$(( $(cat "$dir/$name.checks" 2>/dev/null || echo 0) + 1 )); echo "$checks" > "$dir/$name.checks"
            ready=old
            if [ "$latest" = old ] || { [ "$checks" -ge 2 ] && [ "$name" != stuck ]; }; then ready=$latest; fi
            printf '%s\t%s\n' "$latest" "$ready" ;;
        esac
        """;

    private readonly string bin = Directory.CreateTempSubdirectory("fake-az").FullName;

    public RolloutScriptTests()
    {
        File.WriteAllText(Path.Combine(bin, "az"), FakeAz.Replace("\r\n", "\n", StringComparison.Ordinal));
        File.SetUnixFileMode(Path.Combine(bin, "az"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose() => Directory.Delete(bin, recursive: true);

    [Fact]
    public async Task Each_silo_then_the_api_is_updated_only_once_the_one_before_is_ready()
    {
        var (exit, _) = await RollAsync("""["silo0","silo1","silo2"]""");

        Assert.Equal(0, exit);
        var calls = Calls();
        // silo0 checked before anything changes; each updated app checked until ready before the next update.
        Assert.Equal("show silo0", calls[0]);
        Assert.Equal(["update silo1", "show silo1", "show silo1", "update silo2", "show silo2", "show silo2", "update api", "show api", "show api"], calls.Skip(1));
    }

    [Fact]
    public async Task A_silo_that_never_gets_ready_stops_the_rollout_with_an_error_and_the_rest_untouched()
    {
        var (exit, errors) = await RollAsync("""["silo0","stuck","silo2"]""");

        Assert.NotEqual(0, exit);
        Assert.Contains("stuck", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("update silo2", Calls());
        Assert.DoesNotContain("update api", Calls());
    }

    private List<string> Calls() => [.. File.ReadAllLines(Path.Combine(bin, "calls"))];

    private async Task<(int Exit, string Errors)> RollAsync(string apps)
    {
        var start = new ProcessStartInfo("sh", [Path.Combine(Azurite.RepoRoot(), "infra", "scripts", "roll-silos.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}",
                ["SERVICE_SILO_IMAGE_NAME"] = "registry/silo:new",
                ["AZURE_RESOURCE_GROUP"] = "rg",
                ["MARKETPLACE_SILO_APPS"] = apps,
                ["MARKETPLACE_API_APP"] = "api",
                ["MARKETPLACE_ROLL_PAUSE"] = "0",
                ["MARKETPLACE_ROLL_ATTEMPTS"] = "5",
            },
        };
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await errors);
    }
}
