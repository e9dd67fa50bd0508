using BotStateCluster.Api;

namespace BotStateCluster.UnitTests;

public sealed class ApiOptionsValidatorTests
{
    private const string GoodKey = "0123456789abcdef";

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(ApiOptions options) =>
        new ApiOptionsValidator().Validate(null, options);

    [Fact]
    public void DefaultsAreValidAndOpen()
    {
        var options = new ApiOptions();

        Assert.True(Validate(options).Succeeded);
        Assert.Equal(1_048_576, options.MaxBodyBytes);
        Assert.Empty(options.Keys);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1023)]
    [InlineData(64L * 1024 * 1024 + 1)]
    [InlineData(-1)]
    public void MaxBodyBytesOutOfRangeFailsNamingIt(long bytes)
    {
        var result = Validate(new ApiOptions { MaxBodyBytes = bytes });

        Assert.True(result.Failed);
        Assert.StartsWith("MAX_BODY_BYTES", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(64L * 1024 * 1024)]
    public void MaxBodyBytesAtTheLimitsIsValid(long bytes)
    {
        Assert.True(Validate(new ApiOptions { MaxBodyBytes = bytes }).Succeeded);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("0123456789abcde")]
    [InlineData(GoodKey + ",tiny")]
    public void ShortApiKeyFailsNamingApiKeysWithoutTheKey(string keys)
    {
        var result = Validate(new ApiOptions { ApiKeys = keys });

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("API_KEYS", failure, StringComparison.Ordinal);
        foreach (var key in keys.Split(','))
        {
            Assert.DoesNotContain(key, failure, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(GoodKey)]
    [InlineData(GoodKey + ", " + GoodKey + "XYZ ")]
    [InlineData("")]
    [InlineData(null)]
    public void LongEnoughOrUnsetApiKeysAreValid(string? keys)
    {
        Assert.True(Validate(new ApiOptions { ApiKeys = keys }).Succeeded);
    }

    [Theory]
    [InlineData(", ,")]
    [InlineData("   ")]
    [InlineData(GoodKey + ",")]
    [InlineData("," + GoodKey)]
    [InlineData(GoodKey + ", ," + GoodKey + "XYZ")]
    public void AnEmptyKeyFailsNamingApiKeysRatherThanOpeningTheApi(string keys)
    {
        var result = Validate(new ApiOptions { ApiKeys = keys });

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("API_KEYS contains an empty key", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(GoodKey, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void KeysAreTrimmedAndBlanksDropped()
    {
        var options = new ApiOptions { ApiKeys = $" {GoodKey} ,, other-key-000000001 , " };

        Assert.Equal([GoodKey, "other-key-000000001"], options.Keys);
    }

    [Fact]
    public void AShortKeyIsRefusedSayingHowShortItIsAndWhatItNeeds()
    {
        var failure = Assert.Single(Validate(new ApiOptions { ApiKeys = GoodKey + ",tiny" }).Failures!);

        Assert.Equal("API_KEYS: key 2 has 4 characters, fewer than the 16 every key needs.", failure);
    }

    [Fact]
    public void AnUnusableKeyFileIsRefusedNamingTheVariable()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """{"keys": [{"id": "a", "tenant": "Acme", "scopes": ["read"], "sha256": "%s"}]}""".Replace("%s", new string('a', 64), StringComparison.Ordinal));

            var failure = Assert.Single(Validate(new ApiOptions { ApiKeysFile = file }).Failures!);

            Assert.StartsWith($"API_KEYS_FILE ({file}): keys[0] ('a'): a tenant id is", failure, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
