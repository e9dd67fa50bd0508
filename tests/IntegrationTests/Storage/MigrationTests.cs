using BotStateCluster.IntegrationTests.Support;
using BotStateCluster.ServiceDefaults;
using BotStateCluster.Silo.Storage;

namespace BotStateCluster.IntegrationTests.Storage;

/// <summary>Migrations from an empty database, re-run, and run by several silos at once.</summary>
public sealed class MigrationTests
{
    public static TheoryData<string> Backends => ["sqlite", "postgresql"];

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task AnEmptyDatabaseIsMigratedOnceAndThenLeftAlone(string kind)
    {
        await using var backend = await CreateAsync(kind);

        Assert.True(await StateCluster.Migrate(backend.Target) >= 1);
        Assert.Equal(0, await StateCluster.Migrate(backend.Target));
        Assert.Equal(0, await Sql.CountAsync(backend.Target, "SELECT COUNT(*) FROM states"));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task SilosMigratingAtOnceDoNotRaceEachOtherIntoAnError(string kind)
    {
        await using var backend = await CreateAsync(kind);

        var applied = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => StateCluster.Migrate(backend.Target))));

        // Exactly one of them applied the migrations; the others found the schema current.
        Assert.Single(applied, count => count > 0);
        Assert.Equal(SchemaVersionCount(kind), await Sql.CountAsync(backend.Target, "SELECT COUNT(*) FROM schema_migrations"));
    }

    [Fact]
    public void TheGrainKeyPrefixIsStrippedInOnePlaceOnly()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(name => name.EndsWith(".sql", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            Assert.DoesNotContain("substr(@GrainIdExtensionString", reader.ReadToEnd(), StringComparison.OrdinalIgnoreCase);
        }

        foreach (var kind in new[] { DatabaseKind.Sqlite, DatabaseKind.PostgreSql })
        {
            foreach (var key in SqlScripts.ProviderQueryKeys(kind))
            {
                Assert.DoesNotContain(SqlScripts.UserIdOfGrainKey, SqlScripts.ProviderQuery(kind, key), StringComparison.Ordinal);
                Assert.DoesNotContain(SqlScripts.TenantOfGrainKey, SqlScripts.ProviderQuery(kind, key), StringComparison.Ordinal);
            }

            Assert.Contains($"{ConversationKey.GrainKeyPrefix.Length + 1}", SqlScripts.ProviderQuery(kind, "WriteToStorageKey"), StringComparison.Ordinal);
        }
    }

    private static int SchemaVersionCount(string kind) =>
        typeof(BotStateCluster.Silo.Storage.SchemaMigrator).Assembly.GetManifestResourceNames()
            .Count(name => name.StartsWith(kind == "sqlite" ? "Sqlite/Migrations/" : "PostgreSql/Migrations/", StringComparison.Ordinal));

    private static async Task<Backend> CreateAsync(string kind) =>
        kind == "sqlite" ? Backend.Sqlite() : await Backend.PostgreSqlAsync();
}
