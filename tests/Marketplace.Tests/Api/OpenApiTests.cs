using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Marketplace.Tests.Api;

/// <summary>
/// The OpenAPI document the host generates (<c>/openapi/v1.json</c>) against the contract
/// (docs/API.md): every route of its tables, with the success and error codes each row names, and the
/// security schemes. The Scalar reference page is served outside production.
/// </summary>
public sealed class OpenApiTests(HostFixture host) : OpenApiTests<HostFixture>(host), IClassFixture<HostFixture>;

/// <summary>The same suite against the API tier: an Orleans client host in front of a silo process.</summary>
[Collection(ApiTier.Name)]
public sealed class OpenApiTestsOnTheApiRole(ApiRoleHostFixture host) : OpenApiTests<ApiRoleHostFixture>(host);

public abstract partial class OpenApiTests<THost>(THost host)
    where THost : HostFixture
{
    [Fact]
    public async Task The_document_lists_every_route_of_api_md_with_its_responses()
    {
        using var document = JsonDocument.Parse(await host.Http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var paths = document.RootElement.GetProperty("paths");
        var contract = ContractRoutes();
        Assert.True(contract.Count >= 15, $"only {contract.Count} routes read from docs/API.md");

        var missing = new List<string>();
        foreach (var (verb, route, codes) in contract)
        {
            if (!paths.TryGetProperty(route, out var path) || !path.TryGetProperty(verb.ToLowerInvariant(), out var operation))
            {
                missing.Add($"{verb} {route}");
                continue;
            }

            var responses = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();
            missing.AddRange(codes.Where(c => !responses.Contains(c)).Select(c => $"{verb} {route} → {c} (has {string.Join(", ", responses)})"));
        }

        Assert.True(missing.Count == 0, "Not in the OpenAPI document:\n" + string.Join("\n", missing));
    }

    [Fact]
    public async Task Routes_that_need_a_caller_say_so_with_both_security_schemes_and_401_403()
    {
        using var document = JsonDocument.Parse(await host.Http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var schemes = document.RootElement.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("X-Api-Key", schemes.GetProperty("ApiKey").GetProperty("name").GetString());
        Assert.Equal("bearer", schemes.GetProperty("Bearer").GetProperty("scheme").GetString());

        var paths = document.RootElement.GetProperty("paths");
        var reports = paths.GetProperty("/api/reports/sales").GetProperty("get");
        Assert.Equal(2, reports.GetProperty("security").GetArrayLength());
        Assert.True(reports.GetProperty("responses").TryGetProperty("403", out _));
        var catalog = paths.GetProperty("/api/products").GetProperty("get");
        Assert.False(catalog.TryGetProperty("security", out _)); // the catalog is public
        Assert.True(paths.GetProperty("/api/orders").GetProperty("post").GetProperty("responses").TryGetProperty("429", out _));
    }

    [Fact]
    public async Task The_api_reference_page_is_served()
    {
        var response = await host.Http.GetAsync(new Uri("/scalar", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("openapi/v1.json", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal); // the page loads the document
    }

    /// <summary>The rows of API.md's route tables: verb, route, and the status codes the row names.</summary>
    private static List<(string Verb, string Route, string[] Codes)> ContractRoutes()
    {
        var rows = new List<(string, string, string[])>();
        foreach (var line in File.ReadLines(Path.Combine(Azurite.RepoRoot(), "docs", "API.md")))
        {
            var match = RouteRow().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var rest = line[match.Length..];
            var codes = StatusCode().Matches(rest).Select(m => m.Value).ToHashSet();
            if (codes.Count == 0 || !codes.Any(c => c.StartsWith('2')))
            {
                codes.Add("200"); // the downstream views' table gives shapes, not codes: a read is a 200
            }

            rows.Add((match.Groups["verb"].Value, match.Groups["route"].Value, [.. codes]));
        }

        return rows;
    }

    [GeneratedRegex(@"^\| `(?<verb>GET|PUT|POST|DELETE) (?<route>/api/[^`]+)`")]
    private static partial Regex RouteRow();

    [GeneratedRegex(@"\b[2-5]\d\d\b")]
    private static partial Regex StatusCode();
}
