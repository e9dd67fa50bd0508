namespace BotStateCluster.UnitTests;

public sealed class ConversationKeyTests
{
    private static ConversationKey Key(string tenant, string userId) => new(TenantId.Parse(tenant), UserId.Parse(userId));

    [Theory]
    [InlineData("default", "u1", "t/default/u1")]
    [InlineData("acme", "beef", "t/acme/beef")]
    [InlineData("a-1", "0+u1", "t/a-1/0+u1")]
    [InlineData("acme", "a/b", "t/acme/a/b")]
    public void GrainKeyNamesTenantThenUser(string tenant, string userId, string grainKey)
    {
        Assert.Equal(grainKey, Key(tenant, userId).GrainKey);
    }

    [Theory]
    [InlineData("u1")]
    [InlineData("12345")]
    [InlineData("beef")]
    [InlineData("a+b")]
    [InlineData("0+u1")]
    [InlineData("3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData("José 日本 😀")]
    [InlineData("it's \"quoted\"")]
    [InlineData("user/nested")]
    [InlineData("t/acme/u1")]
    public void FromGrainKeyUndoesGrainKey(string userId)
    {
        foreach (var tenant in new[] { "default", "acme", "0", new string('z', 64) })
        {
            Assert.Equal(Key(tenant, userId), ConversationKey.FromGrainKey(Key(tenant, userId).GrainKey));
        }
    }

    [Fact]
    public void DistinctConversationsGetDistinctKeys()
    {
        Assert.NotEqual(Key("acme", "u1").GrainKey, Key("acme", "0+u1").GrainKey);
        Assert.NotEqual(Key("acme", "beef").GrainKey, Key("acme", "BEEF").GrainKey);
        Assert.NotEqual(Key("acme", "u1").GrainKey, Key("other", "u1").GrainKey);
        // A slash ends the tenant: "a" + "b/c" and "a/b" + "c" cannot meet, since a tenant id holds no slash.
        Assert.Throws<ArgumentException>(() => TenantId.Parse("a/b"));
    }

    [Theory]
    [InlineData("u1")]
    [InlineData("user/u1")]
    [InlineData("t/u1")]
    [InlineData("t//u1")]
    [InlineData("t/Acme/u1")]
    [InlineData("t/acme/")]
    [InlineData("T/acme/u1")]
    [InlineData("")]
    public void FromGrainKeyRefusesKeysItDidNotMake(string grainKey)
    {
        var error = Assert.Throws<ArgumentException>(() => ConversationKey.FromGrainKey(grainKey));

        Assert.Equal("grainKey", error.ParamName);
    }

    [Theory]
    [InlineData("default")]
    [InlineData("acme")]
    [InlineData("a-b-0")]
    [InlineData("0")]
    public void ValidTenantIdsHaveNoProblem(string tenant)
    {
        Assert.Null(TenantId.Validate(tenant));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Acme")]
    [InlineData("a/b")]
    [InlineData("a%2f")]
    [InlineData("a_b")]
    [InlineData("a b")]
    [InlineData("ü")]
    public void InvalidTenantIdsAreRefused(string? tenant)
    {
        Assert.NotNull(TenantId.Validate(tenant));
    }

    [Fact]
    public void TenantIdsAreAtMost64Characters()
    {
        Assert.Null(TenantId.Validate(new string('a', 64)));
        Assert.Contains("64", TenantId.Validate(new string('a', 65)), StringComparison.Ordinal);
    }
}
