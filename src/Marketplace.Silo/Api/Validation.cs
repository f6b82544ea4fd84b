using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Silo.Api;

/// <summary>Collects field errors and answers with an RFC 9457 validation problem (400).</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool IsValid => errors.Count == 0;

    public ValidationErrors Check(bool condition, string field, string message)
    {
        if (!condition)
        {
            if (!errors.TryGetValue(field, out var messages))
            {
                errors[field] = messages = [];
            }

            messages.Add(message);
        }

        return this;
    }

    public ValidationProblem ToProblem() => TypedResults.ValidationProblem(
        errors.ToDictionary(e => e.Key, e => e.Value.ToArray()),
        title: "The request is invalid.",
        detail: "See 'errors' for what to correct; nothing was changed.");
}

/// <summary>The field rules of API.md, in one place.</summary>
public static partial class Rules
{
    public const int MaxIdLength = 64;
    public const int MaxOrderLines = 50;
    public const int MaxLineQuantity = 1000;
    public const int MaxTextLength = 200;
    public const int MaxIdempotencyKeyLength = 128;

    public const string IdRule = "1-64 characters of A-Z a-z 0-9 - _.";

    public static bool IsId(string? value) => value is not null && IdPattern().IsMatch(value);

    /// <summary>Printable text: a name or an address line, never a control character (which no label can show).</summary>
    public static bool IsText(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= MaxTextLength && !value.Any(char.IsControl);

    /// <summary>Money: not negative, at most 2 decimals.</summary>
    public static bool IsMoney(decimal value) => value >= 0 && decimal.Round(value, 2) == value;

    public static bool IsCountryCode(string? value)
    {
        if (value is null || !CountryPattern().IsMatch(value))
        {
            return false;
        }

        try
        {
            return new RegionInfo(value).TwoLetterISORegionName == value;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>1-128 printable ASCII characters.</summary>
    public static bool IsIdempotencyKey(string value) =>
        value.Length is > 0 and <= MaxIdempotencyKeyLength && value.All(c => c is >= '!' and <= '~' or ' ');

    public static ValidationErrors CheckId(this ValidationErrors errors, string? value, string field) =>
        errors.Check(IsId(value), field, $"'{field}' must be {IdRule}");

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryPattern();
}

/// <summary>Problem responses other than validation.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string what, string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"{what} not found", detail: $"No {what.ToLowerInvariant()} '{id}'.");

    public static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);
}
