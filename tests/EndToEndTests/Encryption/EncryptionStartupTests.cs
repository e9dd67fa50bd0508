using System.Net;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// A silo with encryption on that cannot run safely does not start: one line, exit code 2, and never a key in it.
/// </summary>
public sealed class EncryptionStartupTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TheDataFileAsKeyStoreIsRefused()
    {
        await using var services = new SqliteEncryptedServices();

        var line = await RefusedAsync(services.Launch(new Dictionary<string, string> { ["KEY_STORE_URL"] = $"sqlite:///{services.DataFile}" }), services);

        Assert.StartsWith("configuration error: KEY_STORE_URL names the data database", line);
    }

    [Fact]
    public async Task TheDataDatabaseAsKeyStoreIsRefusedOnPostgreSql()
    {
        await using var services = new PostgreSqlEncryptedServices();
        await services.InitializeAsync();

        var line = await RefusedAsync(services.Launch(new Dictionary<string, string> { ["KEY_STORE_URL"] = services.Data.Url }), services);

        Assert.StartsWith("configuration error: KEY_STORE_URL names the data database", line);
    }

    [Fact]
    public async Task AMasterKeyThatIsNotThirtyTwoBytesOfBase64IsRefusedWithoutShowingIt()
    {
        await using var services = new SqliteEncryptedServices();
        var shortKey = Convert.ToBase64String(new byte[16]);

        var silo = services.Launch(new Dictionary<string, string> { ["ENCRYPTION_KEYS"] = $"k1:{shortKey}" });
        var line = await RefusedAsync(silo, services);

        Assert.Contains("master key 'k1' is not 32 bytes of base64", line);
        Assert.DoesNotContain(shortKey, silo.Output);
    }

    [Fact]
    public async Task ADuplicateMasterKeyIdIsRefused()
    {
        await using var services = new SqliteEncryptedServices();

        var line = await RefusedAsync(services.Launch(new Dictionary<string, string>
        {
            ["ENCRYPTION_KEYS"] = $"{services.EncryptionKeys},{MasterKeys.Entry("k1", MasterKeys.NewMaterial())}",
        }), services);

        Assert.Contains("master key id 'k1' appears twice", line);
    }

    [Fact]
    public async Task AKeyStoreThatCannotBeReachedIsRefused()
    {
        await using var services = new SqliteEncryptedServices();

        var line = await RefusedAsync(services.Launch(new Dictionary<string, string> { ["KEY_STORE_URL"] = $"sqlite:////nonexistent-{Guid.NewGuid():N}/keys.db" }), services);

        Assert.StartsWith("start-up error: cannot use the key store", line);
    }

    [Fact]
    public async Task AKeyStoreThatCannotBeReachedIsRefusedOnPostgreSql()
    {
        await using var services = new PostgreSqlEncryptedServices();
        await services.InitializeAsync();

        var silo = services.Launch(new Dictionary<string, string>
        {
            ["KEY_STORE_URL"] = $"postgresql://botstate:secret-password@127.0.0.1:{FreePort.Next()}/keys",
        });
        var line = await RefusedAsync(silo, services);

        Assert.StartsWith("start-up error: cannot use the key store", line);
        Assert.DoesNotContain("secret-password", silo.Output);
    }

    [Fact]
    public async Task DataKeysWrappedByAMasterKeyThatIsNotConfiguredAreRefusedNamingIt()
    {
        await using var services = new SqliteEncryptedServices();
        await services.StartAsync();
        (await services.Api.PostMessageAsync(ApiClient.NewUserId("wrapped-by-k1"), "hello")).ShouldBe(HttpStatusCode.OK);
        await services.StopAsync();

        var line = await RefusedAsync(services.Launch(new Dictionary<string, string> { ["ENCRYPTION_KEYS"] = MasterKeys.Entry("k2", MasterKeys.NewMaterial()) }), services);

        Assert.StartsWith("configuration error: the key store holds data keys wrapped by master key 'k1'", line);
    }

    private static async Task<string> RefusedAsync(ServiceProcess silo, EncryptedServices services)
    {
        Assert.True(await silo.WaitForExitAsync(ExitTimeout), $"the silo did not exit within {ExitTimeout.TotalSeconds} s{Environment.NewLine}{silo.Describe()}");
        Assert.True(silo.ExitCode == 2, $"exit code {silo.ExitCode}{Environment.NewLine}{silo.Describe()}");
        Assert.DoesNotContain("Unhandled exception", silo.Output);
        Assert.DoesNotContain(Convert.ToBase64String(services.MasterKey), silo.Output);
        return Assert.Single(silo.StandardError, text => !string.IsNullOrWhiteSpace(text));
    }
}
