using BotStateCluster.ServiceDefaults;

namespace BotStateCluster.UnitTests;

public sealed class DatabaseOptionsValidatorTests
{
    private static string Failure(DatabaseOptions options)
    {
        var result = new DatabaseOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        return result.FailureMessage;
    }

    [Fact]
    public void DefaultsAreValid()
    {
        Assert.True(new DatabaseOptionsValidator().Validate(null, new DatabaseOptions()).Succeeded);
    }

    [Fact]
    public void DefaultsAreTheEmbeddedSqliteFileWithPoolOfTen()
    {
        var options = new DatabaseOptions();

        Assert.Equal(10, options.PoolSize);
        Assert.Equal(DatabaseKind.Sqlite, options.Target.Kind);
        Assert.Equal("data/botstate.db", options.Target.SqliteFile);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    public void PoolSizeOutOfRangeFailsNamingDbPoolSize(int poolSize)
    {
        var message = Failure(new DatabaseOptions { PoolSize = poolSize });

        Assert.Contains("DB_POOL_SIZE", message, StringComparison.Ordinal);
        Assert.Contains(poolSize.ToString(System.Globalization.CultureInfo.InvariantCulture), message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    public void PoolSizeAtTheLimitsIsValid(int poolSize)
    {
        Assert.True(new DatabaseOptionsValidator().Validate(null, new DatabaseOptions { Url = "postgresql://u:p@h/d", PoolSize = poolSize }).Succeeded);
    }

    [Fact]
    public void BadUrlFailsNamingDbUrlWithoutThePassword()
    {
        var message = Failure(new DatabaseOptions { Url = "mysql://u:hunter2secret@h/d" });

        Assert.Contains("DB_URL", message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2secret", message, StringComparison.Ordinal);
    }
}
