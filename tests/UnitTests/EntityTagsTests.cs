using BotStateCluster.Api;
using Microsoft.AspNetCore.Http;

namespace BotStateCluster.UnitTests;

public sealed class EntityTagsTests
{
    private static HttpRequest Request(string? ifMatch = null, string? ifNoneMatch = null)
    {
        var context = new DefaultHttpContext();
        if (ifMatch is not null)
        {
            context.Request.Headers.IfMatch = ifMatch;
        }

        if (ifNoneMatch is not null)
        {
            context.Request.Headers.IfNoneMatch = ifNoneMatch;
        }

        return context.Request;
    }

    [Theory]
    [InlineData(1, "\"1\"")]
    [InlineData(3, "\"3\"")]
    [InlineData(1234567, "\"1234567\"")]
    public void FormatQuotesTheVersion(int version, string expected)
    {
        Assert.Equal(expected, EntityTags.Format(version));
    }

    [Fact]
    public void SetWritesAStrongETag()
    {
        var context = new DefaultHttpContext();

        EntityTags.Set(context.Response, 7);

        Assert.Equal("\"7\"", context.Response.Headers.ETag.ToString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void NoHeadersIsNoCondition(bool allowCreateOnly)
    {
        Assert.Same(VersionCondition.None, EntityTags.Condition(Request(), allowCreateOnly));
    }

    [Fact]
    public void IfMatchVersionIsMetOnlyByThatVersion()
    {
        var condition = EntityTags.Condition(Request(ifMatch: "\"3\""), allowCreateOnly: false);

        Assert.Equal([3], condition.Versions);
        Assert.True(condition.IsMetBy(3));
        Assert.False(condition.IsMetBy(4));
        Assert.False(condition.IsMetBy(2));
        Assert.False(condition.IsMetBy(null));
    }

    [Fact]
    public void IfMatchListIsMetByAnyListedVersion()
    {
        var condition = EntityTags.Condition(Request(ifMatch: "\"3\", \"5\""), allowCreateOnly: false);

        Assert.True(condition.IsMetBy(3));
        Assert.True(condition.IsMetBy(5));
        Assert.False(condition.IsMetBy(4));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void IfMatchStarNeedsAnExistingState(bool allowCreateOnly)
    {
        var condition = EntityTags.Condition(Request(ifMatch: "*"), allowCreateOnly);

        Assert.Same(VersionCondition.Exists, condition);
        Assert.True(condition.IsMetBy(1));
        Assert.False(condition.IsMetBy(null));
    }

    [Fact]
    public void WeakIfMatchTagNeverMatches()
    {
        var condition = EntityTags.Condition(Request(ifMatch: "W/\"3\""), allowCreateOnly: false);

        Assert.False(condition.IsMetBy(3));
        Assert.False(condition.IsMetBy(null));
        Assert.False(condition.IsMetBy(1));
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("\"-1\"")]
    [InlineData("\"3.0\"")]
    [InlineData("\" 3\"")]
    [InlineData("\"99999999999999999999\"")]
    [InlineData("\"\"")]
    public void QuotedTagThatIsNotAVersionNeverMatches(string tag)
    {
        var condition = EntityTags.Condition(Request(ifMatch: tag), allowCreateOnly: false);

        Assert.False(condition.IsMetBy(null));
        for (var version = 1; version <= 5; version++)
        {
            Assert.False(condition.IsMetBy(version));
        }
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("3")]
    [InlineData("\"3")]
    [InlineData("W/3")]
    public void MalformedIfMatchNeverMatchesRatherThanThrowing(string header)
    {
        var condition = EntityTags.Condition(Request(ifMatch: header), allowCreateOnly: false);

        Assert.False(condition.IsMetBy(null));
        Assert.False(condition.IsMetBy(3));
        Assert.False(condition.IsMetBy(1));
    }

    [Fact]
    public void IfNoneMatchStarWithCreateOnlyIsAbsent()
    {
        var condition = EntityTags.Condition(Request(ifNoneMatch: "*"), allowCreateOnly: true);

        Assert.Same(VersionCondition.Absent, condition);
        Assert.True(condition.IsMetBy(null));
        Assert.False(condition.IsMetBy(1));
    }

    [Fact]
    public void IfNoneMatchStarWithSurroundingSpaceIsAbsent()
    {
        Assert.Same(VersionCondition.Absent, EntityTags.Condition(Request(ifNoneMatch: " * "), allowCreateOnly: true));
    }

    [Fact]
    public void IfNoneMatchStarWithoutCreateOnlyIsNoCondition()
    {
        Assert.Same(VersionCondition.None, EntityTags.Condition(Request(ifNoneMatch: "*"), allowCreateOnly: false));
    }

    [Fact]
    public void IfMatchTakesPrecedenceOverIfNoneMatch()
    {
        var condition = EntityTags.Condition(Request(ifMatch: "\"2\"", ifNoneMatch: "*"), allowCreateOnly: true);

        Assert.True(condition.IsMetBy(2));
        Assert.False(condition.IsMetBy(null));
    }

    [Fact]
    public void NotModifiedWithoutIfNoneMatchIsFalse()
    {
        Assert.False(EntityTags.NotModified(Request(), 3));
    }

    [Fact]
    public void NotModifiedWhenIfNoneMatchNamesTheCurrentVersion()
    {
        Assert.True(EntityTags.NotModified(Request(ifNoneMatch: "\"3\""), 3));
        Assert.False(EntityTags.NotModified(Request(ifNoneMatch: "\"3\""), 4));
    }

    [Fact]
    public void NotModifiedUsesWeakComparison()
    {
        Assert.True(EntityTags.NotModified(Request(ifNoneMatch: "W/\"3\""), 3));
        Assert.False(EntityTags.NotModified(Request(ifNoneMatch: "W/\"3\""), 2));
    }

    [Fact]
    public void NotModifiedMatchesAnyListedTagOrStar()
    {
        Assert.True(EntityTags.NotModified(Request(ifNoneMatch: "\"1\", \"2\", \"3\""), 2));
        Assert.True(EntityTags.NotModified(Request(ifNoneMatch: "*"), 9));
    }

    [Fact]
    public void NotModifiedIsFalseForTagsThatAreNotVersions()
    {
        Assert.False(EntityTags.NotModified(Request(ifNoneMatch: "\"abc\""), 1));
    }

    [Fact]
    public void MalformedIfNoneMatchIsNotModifiedFalseRatherThanThrowing()
    {
        Assert.False(EntityTags.NotModified(Request(ifNoneMatch: "garbage"), 1));
    }

    [Theory]
    [InlineData("\"02\"")]
    [InlineData("\"+2\"")]
    [InlineData("\" 2\"")]
    public void IfMatchComparesTagsCharacterByCharacter(string tag)
    {
        var condition = EntityTags.Condition(Request(ifMatch: tag), allowCreateOnly: false);

        Assert.False(condition.IsMetBy(2));
        Assert.False(EntityTags.NotModified(Request(ifNoneMatch: tag), 2));
    }
}
