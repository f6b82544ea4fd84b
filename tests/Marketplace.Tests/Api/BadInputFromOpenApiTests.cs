using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Marketplace.Tests.Api;

/// <summary>
/// Bad input generated from the host's own OpenAPI document: every operation, with ids full of path
/// tricks and control characters, and each body broken every way (malformed JSON, every field of
/// the wrong type, null, missing, huge, with control characters; arrays huge or empty). Every answer
/// is a 4xx problem+json, never a 5xx, and the catalog, stock, orders and sales report are as before.
/// </summary>
public sealed class BadInputFromOpenApiTests(HostFixture host, ITestOutputHelper output) : IClassFixture<HostFixture>
{
    private const string Sku = "FUZZ-SKU";
    private const string Customer = "fuzz-customer";

    /// <summary>A valid body for each operation that takes one; every break starts from it.</summary>
    private static readonly Dictionary<string, string> ValidBodies = new(StringComparer.Ordinal)
    {
        ["PUT /api/products/{sku}"] = """{ "name": "Widget", "price": 2.5, "stock": 3 }""",
        ["POST /api/products/{sku}/restock"] = """{ "quantity": 2 }""",
        ["POST /api/orders"] = $$"""
            { "customerId": "{{Customer}}", "items": [{ "sku": "{{Sku}}", "quantity": 1 }], "paymentToken": "tok_visa",
              "shippingAddress": { "name": "N", "line1": "L", "city": "C", "postalCode": "P", "country": "NL" } }
            """,
    };

    private static readonly string[] BadIds =
    [
        "..", "..%2F..%2Fetc%2Fpasswd", "%2E%2E%2F", "a%00b", "a%0Ab", "%E2%80%AE", "%F0%9F%98%80", "%25", "a%20b",
        "'%3B--", "%3Cscript%3E", "a%2Fb", "a%5Cb", "~", new string('x', 2000),
    ];

    [Fact]
    public async Task Every_operation_answers_broken_input_with_a_4xx_problem_and_changes_nothing()
    {
        await host.PutProductAsync(Sku, 10m, 5);
        var before = await StateAsync();
        using var document = JsonDocument.Parse(await host.Http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));

        var failures = new List<string>();
        var sent = 0;
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var method = operation.Name.ToUpperInvariant();
                var route = $"{method} {path.Name}";
                var hasBody = operation.Value.TryGetProperty("requestBody", out _);
                var body = hasBody ? ValidBodies.GetValueOrDefault(route) : null;
                Assert.True(!hasBody || body is not null, $"{route} takes a body: give it a valid one in {nameof(ValidBodies)}");

                foreach (var (target, content, what) in Cases(path.Name, body))
                {
                    sent++;
                    if (await CheckAsync(method, target, content) is { } failure)
                    {
                        failures.Add($"{route} with {what}: {failure}");
                    }
                }
            }
        }

        output.WriteLine($"{sent} requests");
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(40)));
        Assert.Equal(before, await StateAsync());
    }

    /// <summary>Each case is one thing wrong: one bad id (the body valid), or one break of the body (the ids valid).</summary>
    private static IEnumerable<(string Path, string? Body, string What)> Cases(string template, string? body)
    {
        var parameters = System.Text.RegularExpressions.Regex.Matches(template, @"\{(\w+)\}").Select(m => m.Groups[1].Value).ToList();
        string Fill(string? bad = null, string? which = null) => parameters.Aggregate(template, (path, p) =>
            path.Replace($"{{{p}}}", p == which ? bad! : p == "sku" ? Sku : p == "customerId" ? Customer : "no-such-id", StringComparison.Ordinal));

        foreach (var parameter in parameters)
        {
            foreach (var bad in BadIds)
            {
                yield return (Fill(bad, parameter), body, $"{parameter} = '{(bad.Length > 40 ? bad[..40] + "…" : bad)}'");
            }
        }

        if (body is null)
        {
            yield break;
        }

        foreach (var malformed in new[] { "{", "", "[]", "null", "\"text\"", "42", "{\"a\":1}{" })
        {
            yield return (Fill(), malformed, $"body '{malformed}'");
        }

        var valid = JsonNode.Parse(body)!;
        foreach (var (pointer, node) in Leaves(valid, ""))
        {
            foreach (var (replacement, what) in Breaks(node))
            {
                yield return (Fill(), Replace(valid, pointer, replacement), $"{pointer} {what}");
            }
        }
    }

    /// <summary>Every property and array element, with its JSON path.</summary>
    private static IEnumerable<(string Pointer, JsonNode Node)> Leaves(JsonNode node, string pointer)
    {
        if (node is JsonObject obj)
        {
            foreach (var (name, child) in obj)
            {
                yield return ($"{pointer}/{name}", child!);
                foreach (var inner in Leaves(child!, $"{pointer}/{name}"))
                {
                    yield return inner;
                }
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                foreach (var inner in Leaves(array[i]!, $"{pointer}/{i}"))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>Ways to break one value: null, missing, the wrong type, and by kind: huge, control characters, empty.</summary>
    private static IEnumerable<(JsonNode? Replacement, string What)> Breaks(JsonNode node)
    {
        yield return (null, "null");
        yield return (Missing, "missing");
        switch (node.GetValueKind())
        {
            case JsonValueKind.String:
                yield return (JsonValue.Create(7), "a number");
                yield return (new JsonArray("x"), "an array");
                yield return (JsonValue.Create(new string('x', 10_000)), "10,000 characters");
                yield return (JsonValue.Create("a\u0000b\u0007c\u001b"), "control characters");
                yield return (JsonValue.Create(""), "empty");
                break;
            case JsonValueKind.Number:
                yield return (JsonValue.Create(node.ToJsonString()), "a string");
                yield return (JsonValue.Create(1e300), "1e300");
                yield return (JsonValue.Create(-1), "-1");
                yield return (JsonValue.Create(true), "a boolean");
                break;
            case JsonValueKind.Array:
                yield return (new JsonArray(), "empty");
                yield return (new JsonArray([.. Enumerable.Range(0, 5_000).Select(_ => node.AsArray()[0]!.DeepClone())]), "5,000 elements");
                yield return (JsonValue.Create("x"), "a string");
                break;
            case JsonValueKind.Object:
                yield return (new JsonArray(), "an array");
                yield return (new JsonObject(), "empty");
                break;
        }
    }

    private static readonly JsonNode Missing = JsonValue.Create("\u0001missing")!;

    private static string Replace(JsonNode valid, string pointer, JsonNode? replacement)
    {
        var copy = valid.DeepClone();
        var steps = pointer.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var parent = steps[..^1].Aggregate(copy, (node, step) => node is JsonArray a ? a[int.Parse(step, System.Globalization.CultureInfo.InvariantCulture)]! : node[step]!);
        var last = steps[^1];
        if (parent is JsonArray array)
        {
            var index = int.Parse(last, System.Globalization.CultureInfo.InvariantCulture);
            array[index] = replacement is null ? null : replacement.DeepClone();
        }
        else if (ReferenceEquals(replacement, Missing))
        {
            parent.AsObject().Remove(last);
        }
        else
        {
            parent[last] = replacement?.DeepClone();
        }

        return copy.ToJsonString();
    }

    /// <summary>Null when the answer is right: a 4xx problem+json.</summary>
    private async Task<string?> CheckAsync(string method, string path, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await host.Http.SendAsync(request);
        var status = (int)response.StatusCode;
        if (status is < 400 or >= 500)
        {
            return $"{status}: {Truncate(await response.Content.ReadAsStringAsync())}";
        }

        if (status == 400 && path.Contains("%00", StringComparison.Ordinal) && response.Content.Headers.ContentLength == 0)
        {
            return null; // refused by Kestrel itself (a NUL in the path), before the application: a bare 400
        }

        return response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? null
            : $"{status} as {response.Content.Headers.ContentType?.MediaType ?? "no content type"}";
    }

    private static string Truncate(string text) => text.Length > 200 ? text[..200] + "…" : text;

    /// <summary>What bad input could have touched: the catalog and its stock, the customer's orders, the sales report.</summary>
    private async Task<string> StateAsync() => string.Join('\n',
        await host.Http.GetStringAsync(new Uri("/api/products", UriKind.Relative)),
        await host.Http.GetStringAsync(new Uri($"/api/customers/{Customer}/orders", UriKind.Relative)),
        await host.Http.GetStringAsync(new Uri("/api/reports/sales", UriKind.Relative)));
}
