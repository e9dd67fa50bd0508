namespace BotStateCluster.UnitTests;

public sealed class StateGrainKeyTests
{
    [Theory]
    [InlineData("u1")]
    [InlineData("12345")]
    [InlineData("beef")]
    [InlineData("a+b")]
    [InlineData("0+u1")]
    [InlineData("3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData("{3F2504E0-4F89-11D3-9A0C-0305E82C3301}")]
    [InlineData("José 日本 😀")]
    [InlineData("it's \"quoted\"")]
    [InlineData("a/b")]
    [InlineData("/")]
    [InlineData("user/")]
    [InlineData(" ")]
    [InlineData("x")]
    public void ValidUserIdsHaveNoProblem(string userId)
    {
        Assert.Null(StateGrainKey.Validate(userId));
    }

    [Fact]
    public void UserIdOf256CharactersIsValid()
    {
        Assert.Null(StateGrainKey.Validate(new string('a', 256)));
    }

    [Fact]
    public void UserIdOf257CharactersIsInvalidAndTheProblemSaysWhy()
    {
        var problem = StateGrainKey.Validate(new string('a', 257));

        Assert.NotNull(problem);
        Assert.Contains("256", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void EmptyUserIdIsInvalid(string? userId)
    {
        Assert.Contains("empty", StateGrainKey.Validate(userId), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a\nb")]
    [InlineData("a\rb")]
    [InlineData("\t")]
    [InlineData("a\u0000")]
    [InlineData("a\u001f")]
    [InlineData("a\u007f")]
    [InlineData("a\u0085b")]
    public void UserIdWithControlCharactersIsInvalid(string userId)
    {
        Assert.Contains("control", StateGrainKey.Validate(userId), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("u1")]
    [InlineData("beef")]
    [InlineData("0+u1")]
    [InlineData("a/b")]
    public void ForPrefixesTheUserId(string userId)
    {
        Assert.Equal("user/" + userId, StateGrainKey.For(userId));
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
    public void UserIdOfUndoesFor(string userId)
    {
        Assert.Equal(userId, StateGrainKey.UserIdOf(StateGrainKey.For(userId)));
    }

    [Fact]
    public void DistinctUserIdsGetDistinctKeys()
    {
        Assert.NotEqual(StateGrainKey.For("u1"), StateGrainKey.For("0+u1"));
        Assert.NotEqual(StateGrainKey.For("beef"), StateGrainKey.For("BEEF"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a\nb")]
    public void ForRefusesInvalidUserIds(string? userId)
    {
        var error = Assert.Throws<ArgumentException>(() => StateGrainKey.For(userId!));

        Assert.Equal("userId", error.ParamName);
    }

    [Fact]
    public void ForRefusesTooLongUserIds()
    {
        Assert.Throws<ArgumentException>(() => StateGrainKey.For(new string('x', 257)));
    }

    [Theory]
    [InlineData("u1")]
    [InlineData("User/u1")]
    [InlineData("users/u1")]
    [InlineData("/u1")]
    [InlineData("")]
    public void UserIdOfRefusesKeysWithoutThePrefix(string grainKey)
    {
        var error = Assert.Throws<ArgumentException>(() => StateGrainKey.UserIdOf(grainKey));

        Assert.Equal("grainKey", error.ParamName);
    }
}
