using System.Net;
using System.Net.Http.Headers;
using Marketplace.Silo.Security;

namespace Marketplace.Tests.Security;

/// <summary>The dashboard is for admins once authentication is on; health stays anonymous for the probes.</summary>
public sealed class EntraDashboardAccessTests(EntraHostFixture host) : IClassFixture<EntraHostFixture>
{
    [Fact]
    public async Task Without_a_token_the_dashboard_is_401_with_a_bearer_challenge_as_a_problem()
    {
        var response = await host.Http.GetAsync(new Uri("/dashboard", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/dashboard/")] // "/dashboard" redirects here, and a client drops the token on a redirect
    [InlineData("/dashboard/ClusterStats")]
    public async Task An_admin_token_opens_the_dashboard_and_its_data(string path)
    {
        var response = await SendAsync(path, EntraHostFixture.Token(Roles.Admin));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_customer_token_is_403()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync("/dashboard", EntraHostFixture.Token(Roles.Customer))).StatusCode);
    }

    [Fact]
    public async Task Tokens_for_another_audience_another_issuer_or_expired_are_401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync("/dashboard", EntraHostFixture.Token(Roles.Admin, audience: "api://someone-else"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync("/dashboard", EntraHostFixture.Token(Roles.Admin, issuer: "https://login.example.com/v2.0"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync("/dashboard", EntraHostFixture.Token(Roles.Admin, expires: DateTime.UtcNow.AddMinutes(-10)))).StatusCode);
    }

    [Fact]
    public async Task The_api_reference_page_is_not_served_in_production_but_the_document_is()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync(new Uri("/scalar/", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative))).StatusCode);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_stays_anonymous(string path)
    {
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
    }

    private Task<HttpResponseMessage> SendAsync(string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return host.Http.SendAsync(request);
    }
}

public sealed class ApiKeyDashboardAccessTests(ApiKeyHostFixture host) : IClassFixture<ApiKeyHostFixture>
{
    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("not-a-key-of-this-host-at-all", HttpStatusCode.Unauthorized)]
    [InlineData(ApiKeyHostFixture.CustomerKey, HttpStatusCode.Forbidden)]
    [InlineData(ApiKeyHostFixture.AdminKey, HttpStatusCode.OK)]
    public async Task The_dashboard_takes_only_an_admin_key(string? key, HttpStatusCode expected)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/dashboard/", UriKind.Relative));
        if (key is not null)
        {
            request.Headers.Add(ApiKeyAuthenticationHandler.Header, key);
        }

        var response = await host.Http.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Unauthorized)
        {
            Assert.Equal("ApiKey", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        }
    }
}
