using System.Reflection;
using BotStateCluster.ServiceDefaults;
using Microsoft.Extensions.Configuration;

namespace BotStateCluster.UnitTests;

public sealed class EnvironmentVariablesTests
{
    // Every assembly of the product that binds settings from the environment.
    private static readonly Assembly[] ProductAssemblies =
    [
        typeof(HostDefaults).Assembly,
        typeof(Gateway.GatewayHost).Assembly,
        typeof(Silo.SiloHost).Assembly,
        typeof(Client.BotStateClientOptions).Assembly,
    ];

    // Keys of the ASP.NET Core host itself (from ASPNETCORE_/DOTNET_ variables, --urls or Kestrel__…),
    // which the dashboard guard reads to see every listener: not variables of ours.
    private static readonly string[] HostKeys = ["urls", "http_ports", "https_ports", "Kestrel"];

    [Fact]
    public void EveryVariableAnOptionsClassBindsIsInTheList()
    {
        var bound = ProductAssemblies
            .SelectMany(assembly => assembly.GetTypes())
            .SelectMany(type => type.GetProperties())
            .Select(property => property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name)
            .OfType<string>()
            .Except(HostKeys)
            .ToList();

        Assert.NotEmpty(bound);
        var unlisted = bound.Where(name => !EnvironmentVariables.IsRead(name)).ToList();
        Assert.True(unlisted.Count == 0, $"Not in ServiceDefaults/EnvironmentVariables.json: {string.Join(", ", unlisted)}");
    }

    [Fact]
    public void TheListNamesEachVariableOnceIncludingTheContractsNewOnes()
    {
        var names = EnvironmentVariables.Names;

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        foreach (var name in new[] { "DB_URL", "LOG_LEVEL", "API_DOCS_ENABLED", "OTEL_EXPORTER_OTLP_ENDPOINT", "STATE_TTL", "HISTORY_TTL", "TOMBSTONE_TTL", "RETENTION_SWEEP_INTERVAL" })
        {
            Assert.Contains(name, names);
        }
    }

    [Theory]
    [InlineData("ASPNETCORE_URLS", true)]
    [InlineData("OTEL_SERVICE_NAME", true)]
    [InlineData("DASHBOARD_ALLOW_ANONYMOUS", true)]
    [InlineData("PATH", false)]
    [InlineData("DB_URLS", false)]
    public void AVariableIsReadByNameOrByAFrameworkPrefix(string name, bool read) =>
        Assert.Equal(read, EnvironmentVariables.IsRead(name));
}
