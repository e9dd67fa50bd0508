namespace BotStateCluster.EndToEndTests;

/// <summary>The HTTP metrics' <c>method</c> label takes the standard methods only, so clients cannot create series at will.</summary>
[Collection(ServiceCollection.Name)]
public sealed class MetricsMethodLabelTests(ServiceFixture services)
{
    [Fact]
    public async Task MadeUpMethodsAreCountedAsOtherAndAnsweredAsBefore()
    {
        var path = ApiClient.StatePath(ApiClient.NewUserId("method"));
        foreach (var method in new[] { "BREW", "XYZZY", "get" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            using var response = await services.Gateway.Http.SendAsync(request);
            Assert.True((int)response.StatusCode is 404 or 405, $"{method} {path}: {(int)response.StatusCode}");
        }

        var metrics = await services.Gateway.Http.GetStringAsync("/metrics");

        Assert.Contains("method=\"OTHER\"", metrics);
        Assert.DoesNotContain("method=\"BREW\"", metrics);
        Assert.DoesNotContain("method=\"XYZZY\"", metrics);
        Assert.DoesNotContain("method=\"get\"", metrics);
    }
}
