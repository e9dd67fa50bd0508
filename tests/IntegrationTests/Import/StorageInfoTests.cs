using BotStateCluster.ServiceDefaults;
using BotStateCluster.Silo.Import;

namespace BotStateCluster.IntegrationTests.Import;

/// <summary>How the importer tells the database it writes into from the one its own DB_URL names.</summary>
public sealed class StorageInfoTests
{
    [Fact]
    public void ARelativeSqliteUrlMeansAFileUnderTheWorkingDirectory()
    {
        var info = StorageInfo.Of(DatabaseUrl.Parse("sqlite:///data/botstate.db", 10));

        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "data", "botstate.db"), info.SqliteFile);
        Assert.Equal($"sqlite file {info.SqliteFile}", info.Description);
    }

    [Fact]
    public void TheSameSqliteFileNamedTwoWaysIsNoMismatch()
    {
        var silo = StorageInfo.Of(DatabaseUrl.Parse($"sqlite:///{Directory.GetCurrentDirectory()}/data/botstate.db", 10));

        Assert.Null(silo.MismatchWith(StorageInfo.Of(DatabaseUrl.Parse("sqlite:///data/./botstate.db", 10))));
    }

    [Fact]
    public void AnotherSqliteFileIsRefusedNamingBoth()
    {
        var silo = StorageInfo.Of(DatabaseUrl.Parse("sqlite:////srv/botstate/Silo/data/botstate.db", 10));

        var mismatch = silo.MismatchWith(StorageInfo.Of(DatabaseUrl.Parse("sqlite:////srv/botstate/data/botstate.db", 10)));

        Assert.NotNull(mismatch);
        Assert.Contains("/srv/botstate/Silo/data/botstate.db", mismatch, StringComparison.Ordinal);
        Assert.Contains("DB_URL here means sqlite file /srv/botstate/data/botstate.db", mismatch, StringComparison.Ordinal);
        Assert.Contains("Nothing was imported", mismatch, StringComparison.Ordinal);
    }

    [Fact]
    public void AnSqliteExpectationAgainstAPostgreSqlSiloIsRefused()
    {
        var silo = StorageInfo.Of(DatabaseUrl.Parse("postgresql://botstate:secret@db:5432/botstate", 10));

        var mismatch = silo.MismatchWith(StorageInfo.Of(DatabaseUrl.Parse(null, 10)));

        Assert.NotNull(mismatch);
        Assert.DoesNotContain("secret", mismatch, StringComparison.Ordinal);
    }

    [Fact]
    public void APostgreSqlExpectationIsNeverRefusedHostsHaveManyNames()
    {
        var silo = StorageInfo.Of(DatabaseUrl.Parse("postgresql://botstate@10.0.0.5:5432/botstate", 10));

        Assert.Null(silo.MismatchWith(StorageInfo.Of(DatabaseUrl.Parse("postgresql://botstate@db.internal:5432/botstate", 10))));
    }
}
