using BotStateCluster.ServiceDefaults;
using BotStateCluster.Silo.Encryption;

namespace BotStateCluster.UnitTests;

public sealed class EncryptionOptionsTests
{
    private static readonly string KeyA = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
    private static readonly string KeyB = Convert.ToBase64String(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public void WithoutMasterKeysEncryptionIsOff()
    {
        var options = new EncryptionOptions();

        Assert.False(options.Enabled);
        Assert.True(new EncryptionOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void MasterKeysAreReadInOrderTheFirstWrapping()
    {
        var keys = new EncryptionOptions { Keys = $"k2:{KeyB}, k1:{KeyA}" }.MasterKeys();

        Assert.Equal(["k2", "k1"], keys.Select(key => key.Id));
        Assert.Equal(Convert.FromBase64String(KeyB), keys[0].Material);
    }

    [Theory]
    [InlineData("k1:bm90IDMyIGJ5dGVz", "master key 'k1' is not 32 bytes of base64")]
    [InlineData("k1:***", "master key 'k1' is not 32 bytes of base64")]
    [InlineData("nocolon", "id:base64(32 bytes)")]
    [InlineData("bad id:AAAA", "id:base64(32 bytes)")]
    public void AMalformedMasterKeyIsRefusedWithoutShowingIt(string keys, string expected)
    {
        var result = new EncryptionOptionsValidator().Validate(null, new EncryptionOptions { Keys = keys });

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage);
        Assert.Contains("ENCRYPTION_KEYS", result.FailureMessage);
        Assert.DoesNotContain("bm90IDMyIGJ5dGVz", result.FailureMessage);
    }

    [Fact]
    public void ADuplicateMasterKeyIdIsRefusedNamingIt()
    {
        var result = new EncryptionOptionsValidator().Validate(null, new EncryptionOptions { Keys = $"k1:{KeyA},k1:{KeyB}" });

        Assert.True(result.Failed);
        Assert.Contains("'k1' appears twice", result.FailureMessage);
        Assert.DoesNotContain(KeyA, result.FailureMessage);
    }

    [Fact]
    public void OnSqliteTheKeyStoreDefaultsToAFileBesideTheData()
    {
        var data = DatabaseUrl.Parse("sqlite:////tmp/somewhere/botstate.db", 10);

        var store = new EncryptionOptions { Keys = $"k1:{KeyA}" }.KeyStore(data);

        Assert.Equal("/tmp/somewhere/botstate.keys.db", store.SqliteFile);
    }

    [Fact]
    public void TheDataDatabaseAsKeyStoreIsRefused()
    {
        var sqlite = DatabaseUrl.Parse("sqlite:////tmp/x/botstate.db", 10);
        var postgres = DatabaseUrl.Parse("postgresql://u:p@db.example:5432/botstate", 10);

        Assert.Contains("names the data database", Assert.Throws<ConfigurationError>(() => new EncryptionOptions { Keys = $"k1:{KeyA}", KeyStoreUrl = "sqlite:////tmp/x/botstate.db" }.KeyStore(sqlite)).Message);
        Assert.Contains("names the data database", Assert.Throws<ConfigurationError>(() => new EncryptionOptions { Keys = $"k1:{KeyA}", KeyStoreUrl = "postgresql://other:pw@db.example:5432/botstate" }.KeyStore(postgres)).Message);
        Assert.Equal(DatabaseKind.PostgreSql, new EncryptionOptions { Keys = $"k1:{KeyA}", KeyStoreUrl = "postgresql://u:p@db.example:5432/botstate_keys" }.KeyStore(postgres).Kind);
    }

    [Fact]
    public void OnPostgreSqlTheKeyStoreIsRequired()
    {
        var postgres = DatabaseUrl.Parse("postgresql://u:p@db.example:5432/botstate", 10);

        Assert.Contains("KEY_STORE_URL is required", Assert.Throws<ConfigurationError>(() => new EncryptionOptions { Keys = $"k1:{KeyA}" }.KeyStore(postgres)).Message);
    }
}
