namespace BotStateCluster.UnitTests;

public sealed class UserIdTests
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
        Assert.Null(UserId.Validate(userId));
    }

    [Fact]
    public void UserIdOf256CharactersIsValid()
    {
        Assert.Null(UserId.Validate(new string('a', 256)));
    }

    [Fact]
    public void UserIdOf257CharactersIsInvalidAndTheProblemSaysWhy()
    {
        var problem = UserId.Validate(new string('a', 257));

        Assert.NotNull(problem);
        Assert.Contains("256", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void EmptyUserIdIsInvalid(string? userId)
    {
        Assert.Contains("empty", UserId.Validate(userId), StringComparison.Ordinal);
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
        Assert.Contains("control", UserId.Validate(userId), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a\nb")]
    public void ParseRefusesInvalidUserIds(string? userId)
    {
        var error = Assert.Throws<ArgumentException>(() => UserId.Parse(userId));

        Assert.Equal("text", error.ParamName);
    }

    [Fact]
    public void ParseRefusesTooLongUserIds()
    {
        Assert.Throws<ArgumentException>(() => UserId.Parse(new string('x', 257)));
    }

    [Theory]
    [InlineData("a", 0xD800, "")]
    [InlineData("", 0xDC00, "b")]
    [InlineData("x", 0xDE00, "\ud83d\ude00")]
    public void LoneSurrogatesAreRefused(string before, int surrogate, string after)
    {
        Assert.Contains("Unicode", UserId.Validate(before + (char)surrogate + after), StringComparison.Ordinal);
    }

    [Fact]
    public void GetStateGrainByStringRefusesAnInvalidId()
    {
        Assert.Throws<ArgumentException>(() => ((IGrainFactory)null!).GetStateGrain("a\nb"));
    }
}
