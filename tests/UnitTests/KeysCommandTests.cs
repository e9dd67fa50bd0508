using System.Text.Json.Nodes;
using BotStateCluster.Api.Keys;
using BotStateCluster.Silo.Keys;

namespace BotStateCluster.UnitTests;

public sealed class KeysCommandTests
{
    private static async Task<(int Code, string[] Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await KeysCommand.RunAsync(args, output, error);
        return (code, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), error.ToString());
    }

    [Fact]
    public async Task PrintsANewKeyOnceAndTheEntryThatHoldsOnlyItsHash()
    {
        var (code, output, _) = await RunAsync("new", "--tenant", "acme", "--scopes", "read,write", "--rate-limit", "200", "--burst", "400");

        Assert.Equal(0, code);
        Assert.Equal(2, output.Length);
        var key = output[0];
        Assert.StartsWith(KeysCommand.KeyPrefix, key, StringComparison.Ordinal);
        Assert.True(key.Length >= 40);
        var entries = ApiKeyFile.Parse(System.Text.Encoding.UTF8.GetBytes($$"""{"keys": [{{output[1]}}]}"""));
        var entry = Assert.Single(entries);
        Assert.Equal(ApiKeySet.Sha256Hex(key), entry.Sha256);
        Assert.Equal(TenantId.Parse("acme"), entry.Tenant);
        Assert.Equal(["read", "write"], entry.Scopes);
        Assert.Equal(new RateLimit(200, 400), entry.RateLimit);
        Assert.DoesNotContain(key, output[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoKeysAreNeverTheSame()
    {
        var first = await RunAsync("new", "--tenant", "acme", "--scopes", "read");
        var second = await RunAsync("new", "--tenant", "acme", "--scopes", "read");

        Assert.NotEqual(first.Output[0], second.Output[0]);
        Assert.Equal("acme-", JsonNode.Parse(first.Output[1])!["id"]!.GetValue<string>()[..5]);
    }

    [Theory]
    [InlineData("new", "--tenant", "Acme", "--scopes", "read")]
    [InlineData("new", "--tenant", "acme", "--scopes", "admin")]
    [InlineData("new", "--scopes", "read")]
    [InlineData("new", "--tenant", "acme", "--scopes", "read", "--burst", "5")]
    [InlineData("old", "--tenant", "acme", "--scopes", "read")]
    public async Task WrongArgumentsExitTwoWithUsage(params string[] args)
    {
        var (code, output, error) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains(KeysCommand.Usage, error, StringComparison.Ordinal);
    }
}
