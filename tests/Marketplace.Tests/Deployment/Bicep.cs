using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Marketplace.Tests.Deployment;

/// <summary>The Bicep CLI from its NuGet package (Azure.Bicep.CommandLine.linux-x64): offline, no Azure CLI.</summary>
public static class Bicep
{
    public static string MainFile => Path.Combine(Azurite.RepoRoot(), "infra", "main.bicep");

    private static string Executable => typeof(Bicep).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "BicepPath").Value!.Replace('\\', Path.DirectorySeparatorChar);

    private static readonly Lazy<JsonDocument> Compiled = new(() =>
    {
        var (exitCode, output, errors) = Run("build", MainFile, "--stdout");
        Assert.True(exitCode == 0 && errors.Length == 0, $"bicep build failed ({exitCode}):\n{errors}");
        return JsonDocument.Parse(output);
    });

    /// <summary>The ARM template <c>bicep build</c> makes of infra/main.bicep.</summary>
    public static JsonElement Template => Compiled.Value.RootElement;

    public static (int ExitCode, string Output, string Errors) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill();
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish in 2 minutes.");
        }

        return (process.ExitCode, output.Result, errors.Result.Trim());
    }

    /// <summary>Every resource of a type in the template, modules' included.</summary>
    public static IReadOnlyList<JsonElement> Resources(string type)
    {
        List<JsonElement> found = [];
        Walk(Template);
        return found;

        void Walk(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    if (element.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == type)
                    {
                        found.Add(element);
                    }

                    foreach (var property in element.EnumerateObject())
                    {
                        Walk(property.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Walk(item);
                    }

                    break;
            }
        }
    }
}
