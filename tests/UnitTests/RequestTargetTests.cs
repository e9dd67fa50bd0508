using BotStateCluster.Api;

namespace BotStateCluster.UnitTests;

public sealed class RequestTargetTests
{
    [Theory]
    [InlineData("/v1/states/alice/messages", "alice")]
    [InlineData("/v1/states/a%2Fb", "a/b")]
    [InlineData("/v1/states/a%2fb?limit=3", "a/b")]
    [InlineData("/v1/states/a%25FF", "a%FF")]
    [InlineData("/v1/states/a%252F", "a%2F")]
    [InlineData("/v1/states/Jos%C3%A9", "José")]
    [InlineData("/v1/states/%F0%9F%98%80", "😀")]
    [InlineData("http://host:8080/v1/states/alice/messages", "alice")]
    [InlineData("https://host/v1/states/bob?x=/v1/states/eve", "bob")]
    [InlineData("/v1/states/a.b/history", "a.b")]
    [InlineData("/v1/states/...", "...")]
    public void SegmentsAreDecodedOnceFromTheRawPath(string target, string userId)
    {
        var segments = RequestTarget.TryDecodePath(target, out var problem);

        Assert.Null(problem);
        Assert.Equal(userId, segments![3]);
    }

    [Theory]
    [InlineData("/v1/states/a%FF")]
    [InlineData("/v1/states/a%C0%AF")]
    [InlineData("/v1/states/%ED%A0%80")]
    [InlineData("/v1/states/%E2%82")]
    [InlineData("/v1/states/%zz")]
    [InlineData("/v1/states/a%")]
    [InlineData("/v1/states/a%4")]
    [InlineData("/v1/%FF/alice")]
    public void InvalidPercentEncodingIsRefused(string target)
    {
        Assert.Null(RequestTarget.TryDecodePath(target, out var problem));
        Assert.Contains("percent-encoded UTF-8", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/states/victim/../other/messages")]
    [InlineData("/v1/states/victim/%2e%2e/other/messages")]
    [InlineData("/v1/states/victim/%2E./other")]
    [InlineData("/v1/states/./alice")]
    [InlineData("/v1/states/alice/messages/..")]
    [InlineData("http://host/v1/x/../states/alice")]
    public void DotSegmentsAreRefused(string target)
    {
        Assert.Null(RequestTarget.TryDecodePath(target, out var problem));
        Assert.Contains("'..'", problem, StringComparison.Ordinal);
    }
}
