using System.Net;
using BotStateCluster.ServiceDefaults;

namespace BotStateCluster.UnitTests;

public sealed class ClusterSettingsTests
{
    private static IReadOnlyList<string> Failures(ClusterSettings settings)
    {
        var result = new ClusterSettingsValidator().Validate(null, settings);
        Assert.True(result.Failed);
        return [.. result.Failures!];
    }

    [Fact]
    public void DefaultsAreValid()
    {
        var settings = new ClusterSettings();

        Assert.True(new ClusterSettingsValidator().Validate(null, settings).Succeeded);
        Assert.Equal("botstate", settings.ServiceId);
        Assert.Equal("dev", settings.ClusterId);
        Assert.Equal(11111, settings.SiloPort);
        Assert.Equal(30000, settings.GatewayPort);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65536)]
    public void SiloPortOutOfRangeFailsNamingSiloPort(int port)
    {
        var failure = Assert.Single(Failures(new ClusterSettings { SiloPort = port }));

        Assert.StartsWith("SILO_PORT", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(70000)]
    public void GatewayPortOutOfRangeFailsNamingGatewayPort(int port)
    {
        var failure = Assert.Single(Failures(new ClusterSettings { GatewayPort = port }));

        Assert.StartsWith("GATEWAY_PORT", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 65535)]
    [InlineData(65535, 1)]
    public void PortsAtTheLimitsAreValid(int siloPort, int gatewayPort)
    {
        Assert.True(new ClusterSettingsValidator().Validate(null, new ClusterSettings { SiloPort = siloPort, GatewayPort = gatewayPort }).Succeeded);
    }

    [Fact]
    public void EqualPortsFailNamingBoth()
    {
        var failure = Assert.Single(Failures(new ClusterSettings { SiloPort = 20000, GatewayPort = 20000 }));

        Assert.Contains("SILO_PORT", failure, StringComparison.Ordinal);
        Assert.Contains("GATEWAY_PORT", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("consul")]
    [InlineData("redis")]
    [InlineData("local")]
    public void UnknownClusteringFailsNamingClustering(string clustering)
    {
        var failure = Assert.Single(Failures(new ClusterSettings { Clustering = clustering }));

        Assert.StartsWith("CLUSTERING", failure, StringComparison.Ordinal);
        Assert.Contains(clustering, failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("adonet")]
    [InlineData("AdoNet")]
    [InlineData(" LOCALHOST ")]
    [InlineData("")]
    [InlineData(null)]
    public void KnownClusteringIsValidInAnyCase(string? clustering)
    {
        Assert.True(new ClusterSettingsValidator().Validate(null, new ClusterSettings { Clustering = clustering }).Succeeded);
    }

    [Theory]
    [InlineData("not-an-ip")]
    [InlineData("10.0.0.256")]
    [InlineData("host.example.com")]
    public void BadAdvertisedIpFailsNamingIt(string address)
    {
        var failure = Assert.Single(Failures(new ClusterSettings { AdvertisedIp = address }));

        Assert.StartsWith("ADVERTISED_IP", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void BadPodIpFailsNamingIt()
    {
        var failure = Assert.Single(Failures(new ClusterSettings { PodIp = "pod" }));

        Assert.StartsWith("POD_IP", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.5")]
    [InlineData("::1")]
    [InlineData(" 192.168.1.20 ")]
    public void IpAddressesAreValid(string address)
    {
        Assert.True(new ClusterSettingsValidator().Validate(null, new ClusterSettings { AdvertisedIp = address, PodIp = address }).Succeeded);
    }

    [Fact]
    public void EmptyIdsFailNamingThem()
    {
        var failures = Failures(new ClusterSettings { ServiceId = " ", ClusterId = "" });

        Assert.Contains(failures, failure => failure.StartsWith("ORLEANS_SERVICE_ID", StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.StartsWith("ORLEANS_CLUSTER_ID", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryProblemIsReported()
    {
        var failures = Failures(new ClusterSettings { SiloPort = 0, GatewayPort = 0, Clustering = "x", AdvertisedIp = "y" });

        Assert.Equal(5, failures.Count);
    }

    [Fact]
    public void ClusteringDefaultsToLocalhostOnSqlite()
    {
        Assert.Equal("localhost", new ClusterSettings().ClusteringFor(DatabaseKind.Sqlite));
    }

    [Fact]
    public void ClusteringDefaultsToAdoNetOnPostgres()
    {
        Assert.Equal("adonet", new ClusterSettings().ClusteringFor(DatabaseKind.PostgreSql));
    }

    [Theory]
    [InlineData(" AdoNet ", DatabaseKind.Sqlite, "adonet")]
    [InlineData("LOCALHOST", DatabaseKind.PostgreSql, "localhost")]
    [InlineData("  ", DatabaseKind.PostgreSql, "adonet")]
    public void ExplicitClusteringIsNormalisedAndWins(string clustering, DatabaseKind kind, string expected)
    {
        Assert.Equal(expected, new ClusterSettings { Clustering = clustering }.ClusteringFor(kind));
    }

    [Fact]
    public void AdvertisedAddressPrefersAdvertisedIp()
    {
        var settings = new ClusterSettings { AdvertisedIp = "10.0.0.5", PodIp = "10.0.0.6" };

        Assert.Equal(IPAddress.Parse("10.0.0.5"), settings.AdvertisedAddress("adonet"));
    }

    [Fact]
    public void AdvertisedAddressFallsBackToPodIp()
    {
        var settings = new ClusterSettings { AdvertisedIp = " ", PodIp = "10.0.0.6" };

        Assert.Equal(IPAddress.Parse("10.0.0.6"), settings.AdvertisedAddress("adonet"));
    }

    [Fact]
    public void AdvertisedAddressIsLoopbackForLocalhostClustering()
    {
        Assert.Equal(IPAddress.Loopback, new ClusterSettings().AdvertisedAddress("localhost"));
    }
}
