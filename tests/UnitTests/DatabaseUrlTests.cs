using BotStateCluster.ServiceDefaults;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace BotStateCluster.UnitTests;

public sealed class DatabaseUrlTests
{
    private const string Secret = "s3cr3t-P4ss";

    private static NpgsqlConnectionStringBuilder Postgres(DatabaseTarget target)
    {
        Assert.Equal(DatabaseKind.PostgreSql, target.Kind);
        return new NpgsqlConnectionStringBuilder(target.ConnectionString);
    }

    private static ConfigurationError Refused(string url, int poolSize = 10) =>
        Assert.Throws<ConfigurationError>(() => DatabaseUrl.Parse(url, poolSize));

    // ---- SQLite ----

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t")]
    public void MissingUrlIsTheEmbeddedSqliteDefault(string? url)
    {
        var target = DatabaseUrl.Parse(url, 10);

        Assert.Equal(DatabaseKind.Sqlite, target.Kind);
        Assert.Equal("data/botstate.db", target.SqliteFile);
        Assert.Equal("data/botstate.db", new SqliteConnectionStringBuilder(target.ConnectionString).DataSource);
    }

    [Fact]
    public void SqliteUrlWithThreeSlashesIsARelativePath()
    {
        var target = DatabaseUrl.Parse("sqlite:///relative.db", 10);

        Assert.Equal(DatabaseKind.Sqlite, target.Kind);
        Assert.Equal("relative.db", target.SqliteFile);
        Assert.Equal($"sqlite file {Path.Combine(Directory.GetCurrentDirectory(), "relative.db")}", target.Description);
    }

    [Fact]
    public void SqliteUrlWithFourSlashesIsAnAbsolutePath()
    {
        var target = DatabaseUrl.Parse("sqlite:////abs/path.db", 10);

        Assert.Equal("/abs/path.db", target.SqliteFile);
    }

    [Fact]
    public void SqliteUrlWithSubdirectoryKeepsIt()
    {
        Assert.Equal("data/sub/x.db", DatabaseUrl.Parse("sqlite:///data/sub/x.db", 10).SqliteFile);
    }

    [Fact]
    public void SqliteUrlIsTrimmedAndSchemeIsCaseInsensitive()
    {
        Assert.Equal("x.db", DatabaseUrl.Parse("  SQLite:///x.db  ", 10).SqliteFile);
    }

    [Fact]
    public void SqliteUsesTheSqliteInvariant()
    {
        var target = DatabaseUrl.Parse("sqlite:///x.db", 10);

        Assert.Equal("System.Data.SQLite", target.Invariant);
        Assert.Same(SqliteFactory.Instance, target.Factory);
    }

    [Theory]
    [InlineData("sqlite:///:memory:")]
    [InlineData("sqlite://")]
    [InlineData("sqlite:///")]
    [InlineData("sqlite://relative.db")]
    public void UnusableSqliteUrlIsRefusedNamingDbUrl(string url)
    {
        Assert.Contains("DB_URL", Refused(url).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite:///%3Amemory%3A")]
    [InlineData("sqlite:///file::memory:")]
    [InlineData("sqlite:///file::memory:?cache=shared")]
    public void InMemorySqliteInAnySpellingIsRefused(string url)
    {
        Assert.Contains("in-memory", Refused(url).Message, StringComparison.Ordinal);
    }

    // ---- PostgreSQL URLs ----

    [Theory]
    [InlineData("postgresql")]
    [InlineData("postgres")]
    [InlineData("postgresql+psycopg2")]
    [InlineData("postgresql+asyncpg")]
    [InlineData("postgres+psycopg")]
    [InlineData("PostgreSQL")]
    public void PostgresUrlSchemesAreReadTheSameWay(string scheme)
    {
        var builder = Postgres(DatabaseUrl.Parse($"{scheme}://bot:{Secret}@db.example.com:6543/botstate", 10));

        Assert.Equal("db.example.com", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("bot", builder.Username);
        Assert.Equal(Secret, builder.Password);
        Assert.Equal("botstate", builder.Database);
    }

    [Fact]
    public void UrlEscapedPasswordIsUnescaped()
    {
        var builder = Postgres(DatabaseUrl.Parse("postgresql://bot:p%40ss%3Aw%2Frd@db/botstate", 10));

        Assert.Equal("p@ss:w/rd", builder.Password);
        Assert.Equal("bot", builder.Username);
        Assert.Equal("db", builder.Host);
    }

    [Fact]
    public void UrlEscapedUserAndDatabaseAreUnescaped()
    {
        var builder = Postgres(DatabaseUrl.Parse("postgresql://us%40er:pw@db/my%20db", 10));

        Assert.Equal("us@er", builder.Username);
        Assert.Equal("my db", builder.Database);
    }

    [Fact]
    public void PortDefaultsTo5432()
    {
        Assert.Equal(5432, Postgres(DatabaseUrl.Parse("postgresql://bot:pw@db/botstate", 10)).Port);
    }

    [Fact]
    public void UrlWithoutUserOrDatabaseLeavesThemUnset()
    {
        var target = DatabaseUrl.Parse("postgresql://db.internal", 10);
        var builder = Postgres(target);

        Assert.Equal("db.internal", builder.Host);
        Assert.Null(builder.Username);
        Assert.Null(builder.Password);
        Assert.Null(builder.Database);
        Assert.Equal(5432, builder.Port);
    }

    [Fact]
    public void UserWithoutPasswordIsRead()
    {
        var builder = Postgres(DatabaseUrl.Parse("postgresql://bot@db/botstate", 10));

        Assert.Equal("bot", builder.Username);
        Assert.Null(builder.Password);
    }

    [Fact]
    public void Ipv6HostIsReadWithoutBrackets()
    {
        var builder = Postgres(DatabaseUrl.Parse("postgresql://bot:pw@[::1]:5433/botstate", 10));

        Assert.Equal("::1", builder.Host);
        Assert.Equal(5433, builder.Port);
    }

    [Fact]
    public void QueryOptionsMapToNpgsqlKeywords()
    {
        var builder = Postgres(DatabaseUrl.Parse("postgresql://bot:pw@db/botstate?sslmode=require&application_name=x", 10));

        Assert.Equal(SslMode.Require, builder.SslMode);
        Assert.Equal("x", builder.ApplicationName);
    }

    [Fact]
    public void QueryOptionNamesAreCaseInsensitiveAndValuesUnescaped()
    {
        var builder = Postgres(DatabaseUrl.Parse("postgresql://bot:pw@db/botstate?SSLMODE=disable&application_name=my+bot%21&connect_timeout=7", 10));

        Assert.Equal(SslMode.Disable, builder.SslMode);
        Assert.Equal("my bot!", builder.ApplicationName);
        Assert.Equal(7, builder.Timeout);
    }

    [Fact]
    public void ApplicationNameDefaultsToTheService()
    {
        Assert.Equal("botstatecluster", Postgres(DatabaseUrl.Parse("postgresql://bot:pw@db/botstate", 10)).ApplicationName);
    }

    [Theory]
    [InlineData("postgresql://bot:pw@db/botstate")]
    [InlineData("postgresql+asyncpg://bot:pw@db/botstate?sslmode=disable")]
    [InlineData("Host=db;Username=bot;Password=pw;Database=botstate")]
    public void StatementsArePreparedAndConnectionsNotResetInEveryForm(string url)
    {
        var builder = Postgres(DatabaseUrl.Parse(url, 10));
        Assert.Equal(32, builder.MaxAutoPrepare);
        Assert.True(builder.NoResetOnClose);
    }

    [Theory]
    [InlineData("postgresql://bot:pw@db/botstate?max_auto_prepare=0", 0)]
    [InlineData("postgresql://bot:pw@db/botstate?max_auto_prepare=7", 7)]
    [InlineData("Host=db;Username=bot;Password=pw;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;Username=bot;Password=pw;max auto prepare=5", 5)]
    [InlineData("Host=db;Username=bot;Password=pw;MaxAutoPrepare=0", 0)]
    public void AnExplicitAutoPrepareSettingWins(string url, int expected)
    {
        Assert.Equal(expected, Postgres(DatabaseUrl.Parse(url, 10)).MaxAutoPrepare);
    }

    [Theory]
    [InlineData("postgresql://bot:pw@db/botstate?no_reset_on_close=false")]
    [InlineData("Host=db;Username=bot;Password=pw;No Reset On Close=false")]
    public void AnExplicitResetOnCloseSettingWins(string url)
    {
        Assert.False(Postgres(DatabaseUrl.Parse(url, 10)).NoResetOnClose);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(250)]
    public void PoolSizeBecomesMaximumPoolSize(int poolSize)
    {
        var target = DatabaseUrl.Parse("postgresql://bot:pw@db/botstate", poolSize);

        Assert.Equal(poolSize, Postgres(target).MaxPoolSize);
        Assert.Contains($"Maximum Pool Size={poolSize}", target.ConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public void PostgresUsesTheNpgsqlInvariant()
    {
        var target = DatabaseUrl.Parse("postgresql://bot:pw@db/botstate", 10);

        Assert.Equal("Npgsql", target.Invariant);
        Assert.Same(NpgsqlFactory.Instance, target.Factory);
        Assert.Null(target.SqliteFile);
    }

    [Fact]
    public void DescriptionNamesUserHostPortAndDatabaseButNotThePassword()
    {
        var target = DatabaseUrl.Parse($"postgresql://bot:{Secret}@db.example.com:6543/botstate", 10);

        Assert.Equal("postgresql bot@db.example.com:6543/botstate", target.Description);
        Assert.Equal(target.Description, target.ToString());
        Assert.DoesNotContain(Secret, target.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void DescriptionOfEscapedPasswordContainsNeitherForm()
    {
        var target = DatabaseUrl.Parse("postgresql://bot:p%40ss%3Aw%2Frd@db/botstate", 10);

        Assert.DoesNotContain("p@ss:w/rd", target.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("p%40ss", target.Description, StringComparison.Ordinal);
    }

    // ---- Npgsql keyword strings ----

    [Fact]
    public void NpgsqlKeywordStringIsReadAsIs()
    {
        var builder = Postgres(DatabaseUrl.Parse("Host=h;Username=u;Password=p;Database=d", 10));

        Assert.Equal("h", builder.Host);
        Assert.Equal("u", builder.Username);
        Assert.Equal("p", builder.Password);
        Assert.Equal("d", builder.Database);
        Assert.Equal(5432, builder.Port);
    }

    [Fact]
    public void NpgsqlKeywordStringTakesThePoolSizeAndDefaultApplicationName()
    {
        var builder = Postgres(DatabaseUrl.Parse("Host=h;Username=u;Password=p;Database=d", 33));

        Assert.Equal(33, builder.MaxPoolSize);
        Assert.Equal("botstatecluster", builder.ApplicationName);
    }

    [Fact]
    public void NpgsqlKeywordStringKeepsItsOwnApplicationName()
    {
        Assert.Equal("mine", Postgres(DatabaseUrl.Parse("Host=h;Application Name=mine", 10)).ApplicationName);
    }

    [Fact]
    public void NpgsqlKeywordStringDescriptionHidesThePassword()
    {
        var target = DatabaseUrl.Parse($"Host=h;Username=u;Password={Secret};Database=d", 10);

        Assert.Equal("postgresql u@h:5432/d", target.Description);
        Assert.DoesNotContain(Secret, target.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Username=u;Password=" + Secret)]
    [InlineData("Host=h;Password=" + Secret + ";Bogus=1")]
    [InlineData("Host=h;Password=" + Secret + ";Port=notaport")]
    [InlineData("Host=h;Password=" + Secret + ";Maximum Pool Size=many")]
    [InlineData("Host=h;Password=\"" + Secret)]
    public void BadNpgsqlKeywordStringIsAConfigurationErrorWithoutThePassword(string url)
    {
        var error = Refused(url);

        Assert.Contains("DB_URL", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    // ---- refusals ----

    [Theory]
    [InlineData("mysql://bot:" + Secret + "@db/botstate")]
    [InlineData("mssql://bot:" + Secret + "@db/botstate")]
    [InlineData("http://bot:" + Secret + "@db/botstate")]
    [InlineData("postgresql-old://bot:" + Secret + "@db/botstate")]
    [InlineData("not a url at all")]
    [InlineData("data/botstate.db")]
    public void UnsupportedSchemeIsRefusedNamingDbUrlWithoutThePassword(string url)
    {
        var error = Refused(url);

        Assert.StartsWith("DB_URL", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownQueryOptionIsRefusedNamingItButNotThePassword()
    {
        var error = Refused($"postgresql://bot:{Secret}@db/botstate?pool_recycle=3600");

        Assert.StartsWith("DB_URL", error.Message, StringComparison.Ordinal);
        Assert.Contains("pool_recycle", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sslmode=bogus")]
    [InlineData("connect_timeout=soon")]
    public void InvalidQueryOptionValueIsAConfigurationErrorWithoutThePassword(string query)
    {
        var error = Refused($"postgresql://bot:{Secret}@db/botstate?{query}");

        Assert.StartsWith("DB_URL", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgresql://bot:" + Secret + "@/botstate")]
    [InlineData("postgresql://")]
    [InlineData("postgresql://bot:" + Secret + "@db:notaport/botstate")]
    [InlineData("postgresql://bot:" + Secret + "@db:99999/botstate")]
    public void MalformedPostgresUrlIsRefusedWithoutThePassword(string url)
    {
        var error = Refused(url);

        Assert.StartsWith("DB_URL", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }
}
