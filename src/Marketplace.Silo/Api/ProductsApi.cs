using Marketplace.Silo.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Silo.Api;

public sealed record ProductRequest(string? Name, decimal? Price, int? Stock);

public sealed record RestockRequest(int? Quantity);

/// <summary>Catalog and stock: <c>/api/products</c>.</summary>
public static class ProductsApi
{
    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder api)
    {
        var products = api.MapGroup("/products").WithTags("Products");
        products.MapPut("/{sku}", UpsertAsync).RequireAuthorization(Policies.Admin);
        products.MapGet("/{sku}", GetAsync).AllowAnonymous().ProducesProblem(StatusCodes.Status404NotFound); // the catalog is public, as a shop window is
        products.MapGet("", ListAsync).AllowAnonymous();
        products.MapPost("/{sku}/restock", RestockAsync).RequireAuthorization(Policies.Admin).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<Ok<ProductSnapshot>, ValidationProblem>> UpsertAsync(string sku, ProductRequest request, IGrainFactory grains)
    {
        var errors = new ValidationErrors()
            .CheckId(sku, "sku")
            .Check(Rules.IsText(request.Name), "name", $"'name' is required: 1-{Rules.MaxTextLength} characters, no control characters.")
            .Check(request.Price is { } price && Rules.IsMoney(price), "price", "'price' is required: a number >= 0 with at most 2 decimals.")
            .Check(request.Stock is >= 0, "stock", "'stock' is required: an integer >= 0.");
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        return TypedResults.Ok(await grains.GetGrain<IProductGrain>(sku).UpsertAsync(request.Name!.Trim(), request.Price!.Value, request.Stock!.Value));
    }

    private static async Task<Results<Ok<ProductSnapshot>, ProblemHttpResult, ValidationProblem>> GetAsync(string sku, IGrainFactory grains)
    {
        var errors = new ValidationErrors().CheckId(sku, "sku");
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        return await grains.GetGrain<IProductGrain>(sku).GetAsync() is { } product
            ? TypedResults.Ok(product)
            : Problems.NotFound("Product", sku);
    }

    private static async Task<Ok<ProductSnapshot[]>> ListAsync(IGrainFactory grains)
    {
        var skus = await grains.Catalog().GetSkusAsync();
        var products = await Task.WhenAll(skus.Select(sku => grains.GetGrain<IProductGrain>(sku).GetAsync()));
        return TypedResults.Ok(products.OfType<ProductSnapshot>().OrderBy(p => p.Sku, StringComparer.Ordinal).ToArray());
    }

    private static async Task<Results<Ok<ProductSnapshot>, ProblemHttpResult, ValidationProblem>> RestockAsync(string sku, RestockRequest request, IGrainFactory grains)
    {
        var errors = new ValidationErrors()
            .CheckId(sku, "sku")
            .Check(request.Quantity is > 0, "quantity", "'quantity' is required: an integer > 0.");
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        return await grains.GetGrain<IProductGrain>(sku).RestockAsync(request.Quantity!.Value) is { } product
            ? TypedResults.Ok(product)
            : Problems.NotFound("Product", sku);
    }
}
