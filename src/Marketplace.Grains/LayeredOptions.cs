using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Marketplace.Grains;

/// <summary>
/// Named options from two configuration sections: one for every name, then one for this name,
/// so <c>Marketplace:Faults:Default</c> sets every consumer and <c>Marketplace:Faults:loyalty</c>
/// overrides it for one.
/// </summary>
public sealed class LayeredOptions<T>(IConfiguration configuration, string defaultSection, Func<string, string> namedSection)
    : IConfigureNamedOptions<T> where T : class
{
    public void Configure(string? name, T options)
    {
        configuration.GetSection(defaultSection).Bind(options);
        if (!string.IsNullOrEmpty(name))
        {
            configuration.GetSection(namedSection(name)).Bind(options);
        }
    }

    public void Configure(T options) => Configure(Options.DefaultName, options);
}
