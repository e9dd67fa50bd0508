using BotStateCluster.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace BotStateCluster.UnitTests;

public sealed class BotStateClientOptionsTests
{
    private static BotStateClientOptions From(params (string Name, string Value)[] variables) =>
        BotStateClientOptions.FromConfiguration(new ConfigurationBuilder()
            .AddInMemoryCollection(variables.Select(variable => new KeyValuePair<string, string?>(variable.Name, variable.Value)))
            .Build());

    [Fact]
    public void APostgresUrlMeansTheSilosMembershipTable()
    {
        var options = From(("DB_URL", "postgresql://bot:secret@db:5433/botstate"), ("ORLEANS_CLUSTER_ID", "prod"));

        Assert.Equal(ClusterConnectionSettings.AdoNet, options.Clustering);
        Assert.Equal("prod", options.ClusterId);
        Assert.Contains("Host=db", options.ConnectionString, StringComparison.Ordinal);
        Assert.Contains("Port=5433", options.ConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutADatabaseUrlTheClientConnectsToTheLocalSiloOnGatewayPort()
    {
        var options = From(("GATEWAY_PORT", "30123"));

        Assert.Equal(ClusterConnectionSettings.Localhost, options.Clustering);
        Assert.Equal(30123, options.GatewayPort);
        Assert.Null(options.ConnectionString);
    }

    [Theory]
    [InlineData("CLUSTERING", "zookeeper", "CLUSTERING")]
    [InlineData("GATEWAY_PORT", "70000", "GATEWAY_PORT")]
    [InlineData("DB_URL", "postgresql://db/x?bogus=1", "DB_URL")]
    public void AWrongVariableIsNamedInTheFailure(string name, string value, string named)
    {
        var error = Assert.Throws<OptionsValidationException>(() => From((name, value)));

        Assert.Contains(error.Failures, failure => failure.Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public void AdoNetClusteringWithoutPostgresIsRefused()
    {
        var error = Assert.Throws<OptionsValidationException>(() => From(("CLUSTERING", "adonet"), ("DB_URL", "sqlite:///data/x.db")));

        Assert.Contains(error.Failures, failure => failure.Contains("DB_URL", StringComparison.Ordinal));
    }
}
