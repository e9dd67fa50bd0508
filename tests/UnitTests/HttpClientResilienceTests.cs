using System.Net;
using System.Text;
using BotStateCluster.Client.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BotStateCluster.UnitTests;

/// <summary>
/// The .NET HTTP client's resilience pipeline over a scripted handler: what is retried (safe calls, on 503, 429, lost
/// connections and attempt timeouts), how long it waits (Retry-After), and what is never retried.
/// </summary>
public sealed class HttpClientResilienceTests : IDisposable
{
    private const string State = """{"thread_id":"u1","context":{}}""";
    private readonly ScriptedHttpHandler _handler = new();
    private ServiceProvider? _provider;

    [Fact]
    public async Task AReadIsRetriedAfterA503AndWaitsTheRetryAfterItWasGiven()
    {
        _handler.Answer(Problem(HttpStatusCode.ServiceUnavailable, "service-unavailable", retryAfterSeconds: 1)).Answer(Ok());
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = await Client().GetStateAsync("u1");

        Assert.Equal(1, result!.Version);
        Assert.Equal(2, _handler.Requests.Count);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {clock.Elapsed}, before the Retry-After of 1 s");
    }

    [Fact]
    public async Task A429IsRetriedAndOneThatPersistsIsARateLimitedProblemWithItsRetryAfter()
    {
        for (var i = 0; i < 3; i++)
        {
            _handler.Answer(Problem(HttpStatusCode.TooManyRequests, "rate-limited", retryAfterSeconds: 0));
        }

        var problem = await Assert.ThrowsAsync<BotStateProblemException>(() => Client(retries: 2).GetStateAsync("u1"));

        Assert.Equal(3, _handler.Requests.Count);
        Assert.Equal((ProblemKind.RateLimited, "urn:botstate:problem:rate-limited", TimeSpan.Zero), (problem.Kind, problem.Type, problem.RetryAfter));
    }

    [Fact]
    public async Task ATurnIsRetriedWithTheSameIdempotencyKey()
    {
        _handler.Answer(Problem(HttpStatusCode.ServiceUnavailable, "service-unavailable", retryAfterSeconds: 0)).Answer(Ok());

        await Client().PostMessageAsync("u1", new Message("hi"));

        var keys = _handler.Requests.Select(request => request.Headers.GetValues("Idempotency-Key").Single()).ToList();
        Assert.Equal(2, keys.Count);
        Assert.Single(keys.Distinct());
        Assert.Equal("""{"text":"hi"}""", _handler.Bodies[0]);
    }

    [Fact]
    public async Task ATurnWithoutAnIdempotencyKeyIsNeverRetried()
    {
        _handler.Answer(Problem(HttpStatusCode.ServiceUnavailable, "service-unavailable", retryAfterSeconds: 0));

        var problem = await Assert.ThrowsAsync<BotStateProblemException>(() => Client(sendIdempotencyKeys: false).PostMessageAsync("u1", new Message("hi")));

        Assert.Equal(ProblemKind.ServiceUnavailable, problem.Kind);
        Assert.Single(_handler.Requests);
        Assert.False(_handler.Requests[0].Headers.Contains("Idempotency-Key"));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "invalid-body", ProblemKind.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized, "unauthorized", ProblemKind.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden, "forbidden", ProblemKind.Forbidden)]
    [InlineData(HttpStatusCode.PreconditionFailed, "precondition-failed", ProblemKind.PreconditionFailed)]
    [InlineData(HttpStatusCode.UnprocessableEntity, "idempotency-key-reused", ProblemKind.IdempotencyKeyReused)]
    [InlineData(HttpStatusCode.InternalServerError, "internal-error", ProblemKind.Other)]
    public async Task OtherRefusalsAreNotRetriedAndKeepTheirKind(HttpStatusCode status, string type, ProblemKind kind)
    {
        _handler.Answer(Problem(status, type));

        var problem = await Assert.ThrowsAsync<BotStateProblemException>(() => Client().PutStateAsync("u1", new BotState()));

        Assert.Single(_handler.Requests);
        Assert.Equal((kind, status, "urn:botstate:problem:" + type, "why"), (problem.Kind, problem.Status, problem.Type, problem.Detail));
    }

    [Fact]
    public async Task ALostConnectionIsRetried()
    {
        _handler.Fail(new HttpRequestException("connection refused")).Answer(Ok());

        await Client().DeleteStateAsync("u1");

        Assert.Equal(2, _handler.Requests.Count);
    }

    [Fact]
    public async Task AnAttemptThatTimesOutIsRetriedAndACallThatRunsOutOfTimeIsATimeout()
    {
        _handler.Hang().Answer(Ok());
        Assert.Equal(1, (await Client(attemptTimeout: TimeSpan.FromMilliseconds(200)).GetStateAsync("u1"))!.Version);

        _handler.Hang().Hang().Hang();
        await Assert.ThrowsAsync<TimeoutException>(() => Client(attemptTimeout: TimeSpan.FromMilliseconds(200), retries: 2).GetStateAsync("u1"));
        Assert.Equal(5, _handler.Requests.Count);
    }

    [Fact]
    public void OptionsThatCannotWorkAreRefusedNamingWhy()
    {
        var services = new ServiceCollection();
        services.AddBotStateHttpClient(options => options.BaseAddress = new Uri("/relative", UriKind.Relative));
        using var provider = services.BuildServiceProvider();

        var refused = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<BotStateHttpClient>());
        Assert.Contains("BaseAddress", refused.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _provider?.Dispose();

    private BotStateHttpClient Client(int retries = 3, bool sendIdempotencyKeys = true, TimeSpan? attemptTimeout = null)
    {
        var services = new ServiceCollection();
        services.AddBotStateHttpClient(options =>
        {
            options.BaseAddress = new Uri("http://botstate.test");
            options.MaxRetryAttempts = retries;
            options.RetryDelay = TimeSpan.Zero;
            options.SendIdempotencyKeys = sendIdempotencyKeys;
            options.AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(5);
        }).ConfigurePrimaryHttpMessageHandler(() => _handler);
        _provider?.Dispose();
        _provider = services.BuildServiceProvider();
        return _provider.GetRequiredService<BotStateHttpClient>();
    }

    private static Func<HttpResponseMessage> Ok() => () =>
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(State, Encoding.UTF8, "application/json") };
        response.Headers.ETag = new System.Net.Http.Headers.EntityTagHeaderValue("\"1\"");
        return response;
    };

    private static Func<HttpResponseMessage> Problem(HttpStatusCode status, string type, int? retryAfterSeconds = null) => () =>
    {
        var body = $$"""{"type":"urn:botstate:problem:{{type}}","title":"Title","status":{{(int)status}},"detail":"why"}""";
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/problem+json") };
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        }

        return response;
    };
}
