using BotStateCluster.ServiceDefaults;

namespace BotStateCluster.UnitTests;

public sealed class SharedSettingsTests
{
    private static SharedSettings Settings(string? dbUrl, string? clustering) =>
        new(DatabaseUrl.Parse(dbUrl, 10), new ClusterSettings { Clustering = clustering }, new ObservabilityOptions());

    [Fact]
    public void AdoNetClusteringOnSqliteIsAConfigurationError()
    {
        var error = Assert.Throws<ConfigurationError>(() => Settings(null, "adonet").Validate());

        Assert.Contains("CLUSTERING", error.Message, StringComparison.Ordinal);
        Assert.Contains("DB_URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultSqliteRunsWithLocalhostClustering()
    {
        var settings = Settings(null, null);

        Assert.Same(settings, settings.Validate());
        Assert.Equal("localhost", settings.Clustering);
    }

    [Fact]
    public void PostgresDefaultsToAdoNetClustering()
    {
        var settings = Settings("postgresql://u:p@h/d", null);

        Assert.Same(settings, settings.Validate());
        Assert.Equal("adonet", settings.Clustering);
    }

    [Fact]
    public void PostgresWithLocalhostClusteringIsAllowed()
    {
        var settings = Settings("postgresql://u:p@h/d", "localhost");

        Assert.Same(settings, settings.Validate());
        Assert.Equal("localhost", settings.Clustering);
    }
}
