using System.Net;
using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

/// <summary>The hostile-input suite on SQLite, with the shared silo and gateway.</summary>
[Collection(ServiceCollection.Name)]
public sealed class HostileInputOnSqliteTests(ServiceFixture services) : HostileInputTests(services.Cluster);

/// <summary>The hostile-input suite on PostgreSQL.</summary>
public sealed class HostileInputOnPostgreSqlTests(PostgreSqlServiceFixture services) : HostileInputTests(services.Cluster), IClassFixture<PostgreSqlServiceFixture>;

/// <summary>
/// Requests an adversarial client sends: each gets its 4xx (never a 500), and no conversation other
/// than the one its URL names is created or changed; refused requests change nothing at all.
/// Targets are sent over a raw socket, exactly as written.
/// </summary>
public abstract class HostileInputTests(ServiceCluster cluster)
{
    private ApiClient Api => cluster.Api;

    private Uri Gateway => cluster.Gateway.Http.BaseAddress!;

    [Theory]
    [InlineData("POST", "/v1/states/{victim}/../{other}/messages")]
    [InlineData("POST", "/v1/states/{victim}/%2e%2e/{other}/messages")]
    [InlineData("PUT", "/v1/states/{victim}/%2E%2E/{other}")]
    [InlineData("POST", "/v1/states/{victim}/./messages")]
    [InlineData("DELETE", "/v1/states/{other}/messages/..")]
    [InlineData("DELETE", "/v1/states/{other}/history/%2e%2e")]
    [InlineData("GET", "/v1/states/{victim}/messages/..")]
    public async Task DotSegmentsAreRefusedAndReachNoConversation(string method, string template)
    {
        var (victim, other) = (ApiClient.NewUserId("victim"), ApiClient.NewUserId("other"));
        await TurnAsync(victim);
        await TurnAsync(other);
        var before = await SnapshotAsync(victim, other);

        var body = method is "GET" or "DELETE" ? null : method == "PUT" ? "{}" : """{"text":"hijack"}""";
        var target = template.Replace("{victim}", victim, StringComparison.Ordinal).Replace("{other}", other, StringComparison.Ordinal);
        var (status, answer) = await RawHttp.SendAsync(Gateway, method, target, body);

        Assert.True(status == HttpStatusCode.BadRequest, $"{method} {target} -> {(int)status}: {answer}");
        Assert.Contains("'..'", answer, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(victim, other));
    }

    [Fact]
    public async Task AnAbsoluteFormTargetReachesTheConversationOfItsPathOnly()
    {
        var user = ApiClient.NewUserId("absolute");
        var before = await SnapshotAsync("v1", "states", "http:");

        var (status, answer) = await RawHttp.SendAsync(Gateway, "POST", $"http://{Gateway.Authority}/v1/states/{user}/messages", """{"text":"hi"}""");

        Assert.True(status == HttpStatusCode.OK, $"-> {(int)status}: {answer}");
        Assert.Equal(user, JsonNode.Parse(answer)!["thread_id"]!.GetValue<string>());
        Assert.Equal(1, (await Api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK).Version);
        Assert.Equal(before, await SnapshotAsync("v1", "states", "http:"));
    }

    [Theory]
    [InlineData("%FF")]
    [InlineData("%C0%AF")]
    [InlineData("%ED%A0%80")]
    [InlineData("%E2%82")]
    [InlineData("%zz")]
    [InlineData("%")]
    public async Task InvalidPercentEncodingInTheUserIdIsBadRequest(string encoded)
    {
        var prefix = ApiClient.NewUserId("pct");
        // The conversations a lenient decoder could have mapped the id to.
        var candidates = new[] { prefix, prefix + encoded, prefix + "\uFFFD" };
        var before = await SnapshotAsync(candidates);

        foreach (var (method, suffix, body) in new[] { ("POST", "/messages", """{"text":"hi"}"""), ("PUT", "", "{}"), ("GET", "", null), ("DELETE", "", null) })
        {
            var (status, answer) = await RawHttp.SendAsync(Gateway, method, $"/v1/states/{prefix}{encoded}{suffix}", body);
            Assert.True(status == HttpStatusCode.BadRequest, $"{method} {prefix}{encoded}{suffix} -> {(int)status}: {answer}");
            Assert.Contains("percent-encoded UTF-8", answer, StringComparison.Ordinal);
        }

        Assert.Equal(before, await SnapshotAsync(candidates));
    }

    [Fact]
    public async Task EncodedPercentAndSlashNameConversationsOfTheirOwn()
    {
        var prefix = ApiClient.NewUserId("escape");
        var targets = new[] { ("%25FF", "%FF"), ("%2Fb", "/b"), ("%252Fb", "%2Fb"), ("%2fc", "/c") };

        foreach (var (encoded, decoded) in targets)
        {
            var (status, answer) = await RawHttp.SendAsync(Gateway, "POST", $"/v1/states/{prefix}{encoded}/messages", """{"text":"hi"}""");
            Assert.True(status == HttpStatusCode.OK, $"{prefix}{encoded} -> {(int)status}: {answer}");
            Assert.Equal(prefix + decoded, JsonNode.Parse(answer)!["thread_id"]!.GetValue<string>());
        }

        // Each was a new conversation: none of the four ids shares another's state.
        foreach (var (_, decoded) in targets)
        {
            Assert.Equal(1, (await Api.GetStateAsync(prefix + decoded)).ShouldBe(HttpStatusCode.OK).Version);
        }
    }

    [Theory]
    [InlineData(33)]
    [InlineData(60)]
    [InlineData(61)]
    [InlineData(62)]
    [InlineData(63)]
    [InlineData(200)]
    public async Task NestingDeeperThan32LevelsIsBadRequest(int depth)
    {
        var user = ApiClient.NewUserId("deep");
        var before = await SnapshotAsync(user);

        // The top-level object is the first level.
        var nested = new string('[', depth - 1) + new string(']', depth - 1);
        await ExpectRefusedAsync("POST", user, $$$"""{"text":"hi","context":{"a":{{{nested[1..^1]}}}}}""", HttpStatusCode.BadRequest, "32");
        await ExpectRefusedAsync("PUT", user, $$$"""{"nlu":{"a":{{{nested[1..^1]}}}}}""", HttpStatusCode.BadRequest, "32");

        Assert.Equal(before, await SnapshotAsync(user));
    }

    [Fact]
    public async Task NestingOf32LevelsIsStoredAndItsHistoryStaysReadable()
    {
        var user = ApiClient.NewUserId("deep-ok");
        var nested = new string('[', 31) + new string(']', 31);

        var (status, answer) = await RawHttp.SendAsync(Gateway, "PUT", ApiClient.StatePath(user), $$$"""{"nlu":{{{nested}}}}""");
        Assert.True(status == HttpStatusCode.BadRequest, $"an array for nlu is a type error, not a depth error: {(int)status} {answer}");

        (status, answer) = await RawHttp.SendAsync(Gateway, "PUT", ApiClient.StatePath(user), $$$"""{"bot_message":[{"a":{{{nested[2..^2]}}}}]}""");
        Assert.True(status == HttpStatusCode.Created, $"-> {(int)status}: {answer}");
        (await Api.PostMessageAsync(user, "next")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(2, (await Api.GetHistoryAsync(user)).ShouldBe(HttpStatusCode.OK).Json["items"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("1e309")]
    [InlineData("1E+999999")]
    public async Task NumbersBeyondTheDoubleRangeAreBadRequest(string number)
    {
        var user = ApiClient.NewUserId("huge-number");
        var before = await SnapshotAsync(user);

        await ExpectRefusedAsync("POST", user, $$$"""{"text":"hi","context":{"n":{{{number}}}}}""", HttpStatusCode.BadRequest, "IEEE-754");
        await ExpectRefusedAsync("PUT", user, $$$"""{"nlu":{"scores":[1,{{{number}}}]}}""", HttpStatusCode.BadRequest, "IEEE-754");

        Assert.Equal(before, await SnapshotAsync(user));
    }

    [Theory]
    [InlineData("1E+2")]
    [InlineData("-0")]
    [InlineData("1.50")]
    [InlineData("1.7976931348623157e308")]
    [InlineData("5e-324")]
    public async Task AcceptedNumbersKeepTheTextTheClientSent(string number)
    {
        var user = ApiClient.NewUserId("number");

        var (status, answer) = await RawHttp.SendAsync(Gateway, "POST", ApiClient.StatePath(user) + "/messages", $$$"""{"text":"hi","context":{"n":{{{number}}}}}""");

        Assert.True(status == HttpStatusCode.OK, $"-> {(int)status}: {answer}");
        Assert.Contains($"\"context\":{{\"n\":{number}}}", answer, StringComparison.Ordinal);
        Assert.Contains($"\"context\":{{\"n\":{number}}}", (await Api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK).Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", """{"text":"hi","context":{"\ud800":1}}""")]
    [InlineData("POST", """{"text":"hi","context":{"a\udc00b":1,"c":2}}""")]
    [InlineData("PUT", """{"nlu":{"\ud800":1}}""")]
    [InlineData("PUT", """{"\udfff":1}""")]
    [InlineData("PUT", """{"context":{"k":"\ud800"}}""")]
    public async Task LoneSurrogatesAreBadRequest(string method, string body)
    {
        var user = ApiClient.NewUserId("surrogate");
        var before = await SnapshotAsync(user);

        await ExpectRefusedAsync(method, user, body, HttpStatusCode.BadRequest, "Unicode");

        Assert.Equal(before, await SnapshotAsync(user));
    }

    [Theory]
    [InlineData("\"02\"")]
    [InlineData("\"2 \"")]
    [InlineData("\"+2\"")]
    [InlineData("W/\"2\"")]
    public async Task IfMatchComparesEntityTagsStrictly(string tag)
    {
        var user = ApiClient.NewUserId("strong-etag");
        await TurnAsync(user);
        await TurnAsync(user);
        var before = await SnapshotAsync(user);

        foreach (var (method, suffix, body) in new[] { ("POST", "/messages", """{"text":"late"}"""), ("PUT", "", "{}"), ("DELETE", "", null) })
        {
            var (status, answer) = await RawHttp.SendAsync(Gateway, method, ApiClient.StatePath(user) + suffix, body, headers: ("If-Match", tag));
            Assert.True(status == HttpStatusCode.PreconditionFailed, $"{method} If-Match: {tag} -> {(int)status}: {answer}");
        }

        Assert.Equal(before, await SnapshotAsync(user));
    }

    [Theory]
    [InlineData("application/notjson")]
    [InlineData("application/jsonx")]
    [InlineData("text/json")]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task BodiesThatAreNotDeclaredJsonAre415(string? contentType)
    {
        var user = ApiClient.NewUserId("media-type");
        var before = await SnapshotAsync(user);

        foreach (var (method, suffix, body) in new[] { ("POST", "/messages", """{"text":"hi"}"""), ("PUT", "", "{}") })
        {
            var (status, answer) = await RawHttp.SendAsync(Gateway, method, ApiClient.StatePath(user) + suffix, body, contentType);
            Assert.True(status == HttpStatusCode.UnsupportedMediaType, $"{method} Content-Type: {contentType} -> {(int)status}: {answer}");
            Assert.Contains("application/json", answer, StringComparison.Ordinal);
        }

        Assert.Equal(before, await SnapshotAsync(user));
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("APPLICATION/JSON")]
    [InlineData("application/vnd.botstate.v1+json")]
    public async Task JsonMediaTypesAreAccepted(string contentType)
    {
        var user = ApiClient.NewUserId("json-type");

        var (status, answer) = await RawHttp.SendAsync(Gateway, "POST", ApiClient.StatePath(user) + "/messages", """{"text":"hi"}""", contentType);

        Assert.True(status == HttpStatusCode.OK, $"Content-Type: {contentType} -> {(int)status}: {answer}");
    }

    private async Task TurnAsync(string user) => (await Api.PostMessageAsync(user, "hello")).ShouldBe(HttpStatusCode.OK);

    private async Task ExpectRefusedAsync(string method, string user, string body, HttpStatusCode expected, string detail)
    {
        var target = ApiClient.StatePath(user) + (method == "POST" ? "/messages" : "");
        var (status, answer) = await RawHttp.SendAsync(Gateway, method, target, body);
        Assert.True(status == expected, $"{method} {target} {Abbreviate(body)} -> {(int)status}: {answer}");
        Assert.Contains(detail, answer, StringComparison.Ordinal);
    }

    // What the API shows of these conversations: state (with its ETag) and history, or their 404s.
    private async Task<string> SnapshotAsync(params string[] users)
    {
        var parts = new List<string>();
        foreach (var user in users)
        {
            var state = await Api.GetStateAsync(user);
            var history = await Api.GetHistoryAsync(user);
            Assert.True(state.Status is HttpStatusCode.OK or HttpStatusCode.NotFound, state.Describe());
            Assert.True(history.Status == HttpStatusCode.OK, history.Describe());
            parts.Add($"{user}: {(int)state.Status} {state.ETag} {(state.Status == HttpStatusCode.OK ? state.Body : "")} {history.Body}");
        }

        return string.Join(Environment.NewLine, parts);
    }

    private static string Abbreviate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
