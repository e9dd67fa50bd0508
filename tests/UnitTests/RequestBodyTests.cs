using System.Text;
using System.Text.Json.Nodes;
using BotStateCluster.Api;
using Microsoft.AspNetCore.Http;

namespace BotStateCluster.UnitTests;

public sealed class RequestBodyTests
{
    private static HttpRequest Request(string body, string? contentType = "application/json")
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        context.Request.ContentType = contentType;
        return context.Request;
    }

    private static async Task<Exception?> ExceptionOf(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception exception)
        {
            return exception;
        }
    }

    // A client's bad body must end as a 4xx: a StateFormatException or a BadHttpRequestException with a 4xx status.
    private static void AssertClientError(Exception? exception)
    {
        Assert.NotNull(exception);
        var isClientError = exception switch
        {
            StateFormatException => true,
            BadHttpRequestException bad => bad.StatusCode is >= 400 and < 500,
            _ => false,
        };
        Assert.True(isClientError, $"{exception.GetType().Name}: {exception.Message}");
    }

    [Fact]
    public async Task JsonBodyIsParsed()
    {
        var node = await RequestBody.ReadJsonAsync(Request("""{"text": "hi", "context": {"a": [1]}}"""), CancellationToken.None);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"text": "hi", "context": {"a": [1]}}"""), node));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/problem+json")]
    [InlineData("application/vnd.botstate.v1+json")]
    [InlineData("APPLICATION/JSON")]
    public async Task JsonContentTypeIsAccepted(string contentType)
    {
        var node = await RequestBody.ReadJsonAsync(Request("{}", contentType), CancellationToken.None);

        Assert.IsType<JsonObject>(node);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("text/plain")]
    [InlineData("text/json")]
    [InlineData("application/notjson")]
    [InlineData("application/jsonx")]
    [InlineData("application/+json")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task NonJsonContentTypeIs415(string? contentType)
    {
        var error = await Assert.ThrowsAsync<BadHttpRequestException>(() => RequestBody.ReadJsonAsync(Request("{}", contentType), CancellationToken.None));

        Assert.Equal(StatusCodes.Status415UnsupportedMediaType, error.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"text\": }")]
    [InlineData("{'text': 'hi'}")]
    [InlineData("{\"text\": \"hi\"} trailing")]
    public async Task MalformedJsonIs400(string body)
    {
        var error = await Assert.ThrowsAsync<BadHttpRequestException>(() => RequestBody.ReadJsonAsync(Request(body), CancellationToken.None));

        Assert.Equal(StatusCodes.Status400BadRequest, error.StatusCode);
    }

    [Fact]
    public async Task NestingOf32LevelsIsAccepted()
    {
        var body = new string('[', 32) + new string(']', 32);

        Assert.NotNull(await RequestBody.ReadJsonAsync(Request(body), CancellationToken.None));
    }

    [Theory]
    [InlineData(33)]
    [InlineData(62)]
    [InlineData(70)]
    public async Task NestingDeeperThan32IsA400(int depth)
    {
        var body = new string('[', depth) + new string(']', depth);

        var error = await Assert.ThrowsAsync<BadHttpRequestException>(() => RequestBody.ReadJsonAsync(Request(body), CancellationToken.None));

        Assert.Equal(StatusCodes.Status400BadRequest, error.StatusCode);
    }

    [Theory]
    [InlineData("""{"context": {"a": 1}, "context": {"a": 2}}""")]
    [InlineData("""{"context": {"a": 1, "a": 2}}""")]
    [InlineData("""{"thread_id": "u1", "thread_id": "u2"}""")]
    public async Task StateBodyWithDuplicatePropertiesIsAClientErrorNotAnInternalError(string body)
    {
        var exception = await ExceptionOf(async () =>
            StateJson.FromJson(await RequestBody.ReadJsonAsync(Request(body), CancellationToken.None), "u1", DateTimeOffset.UnixEpoch));

        AssertClientError(exception);
    }

    [Theory]
    [InlineData("""{"context": {"\ud800": 1}}""")]
    [InlineData("""{"context": {"a\udc00b": 1, "c": 2}}""")]
    [InlineData("""{"\ud800": 1}""")]
    public async Task LoneSurrogateInAPropertyNameIsAClientError(string body)
    {
        var exception = await ExceptionOf(async () =>
            StateJson.FromJson(await RequestBody.ReadJsonAsync(Request(body), CancellationToken.None), "u1", DateTimeOffset.UnixEpoch));

        AssertClientError(exception);
    }

    [Fact]
    public async Task MessageBodyWithDuplicatePropertiesIsAClientErrorNotAnInternalError()
    {
        var exception = await ExceptionOf(async () =>
            MessageRequest.Parse(await RequestBody.ReadJsonAsync(Request("""{"text": "a", "text": "b"}"""), CancellationToken.None)));

        AssertClientError(exception);
    }
}
