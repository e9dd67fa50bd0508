using System.Net;
using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

[Collection(ServiceCollection.Name)]
public sealed class ValidationTests(ServiceFixture services)
{
    // The fixture's gateway runs with the default MAX_BODY_BYTES of 1 MiB.
    private const int DefaultMaxBodyBytes = 1_048_576;

    [Fact]
    public async Task MalformedJsonIsBadRequestProblem()
    {
        var user = ApiClient.NewUserId("malformed");

        var response = (await services.Api.SendAsync(HttpMethod.Post, ApiClient.StatePath(user) + "/messages", "{\"text\": \"unterminated")).ShouldBeProblem(HttpStatusCode.BadRequest);

        Assert.Contains("JSON", response.Detail!, StringComparison.Ordinal);
        (await services.Api.GetStateAsync(user)).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task MalformedJsonInPutIsBadRequestProblem()
    {
        var user = ApiClient.NewUserId("malformed-put");

        (await services.Api.SendAsync(HttpMethod.Put, ApiClient.StatePath(user), "{\"context\": {]}")).ShouldBeProblem(HttpStatusCode.BadRequest);

        (await services.Api.GetStateAsync(user)).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task BodyOverMaxBodyBytesIsRefusedWith413()
    {
        var user = ApiClient.NewUserId("huge");
        var body = new JsonObject { ["text"] = new string('x', DefaultMaxBodyBytes + (DefaultMaxBodyBytes / 10)) }.ToJsonString();

        var response = (await services.Api.SendAsync(HttpMethod.Post, ApiClient.StatePath(user) + "/messages", body)).ShouldBe(HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal("application/problem+json", response.MediaType);
        (await services.Api.GetStateAsync(user)).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task BodyJustUnderMaxBodyBytesIsAccepted()
    {
        var user = ApiClient.NewUserId("large");
        var text = new string('y', DefaultMaxBodyBytes - 1024);

        var response = (await services.Api.PostMessageAsync(user, text)).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(text.Length, response.Json["user_message"]!["text"]!.GetValue<string>().Length);
    }

    [Fact]
    public async Task UserIdLongerThan256CharactersIsBadRequest()
    {
        var longest = new string('l', 256);
        var tooLong = new string('l', 257);

        (await services.Api.PostMessageAsync(longest, "fits")).ShouldBe(HttpStatusCode.OK);
        var response = (await services.Api.PostMessageAsync(tooLong, "too long")).ShouldBeProblem(HttpStatusCode.BadRequest);

        Assert.Contains("256", response.Detail!, StringComparison.Ordinal);
        (await services.Api.GetStateAsync(tooLong)).ShouldBeProblem(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("a%01b")]
    [InlineData("%7F")]
    [InlineData("tab%09id")]
    public async Task UserIdWithControlCharacterIsBadRequest(string encodedUserId)
    {
        var response = (await services.Api.SendAsync(HttpMethod.Post, $"/v1/states/{encodedUserId}/messages", "{\"text\":\"hi\"}")).ShouldBeProblem(HttpStatusCode.BadRequest);

        Assert.Contains("control", response.Detail!, StringComparison.Ordinal);
        (await services.Api.SendAsync(HttpMethod.Get, $"/v1/states/{encodedUserId}")).ShouldBeProblem(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("{\"context\":{}}")]
    [InlineData("{\"text\":null}")]
    [InlineData("{\"text\":42}")]
    [InlineData("[\"text\"]")]
    [InlineData("{\"text\":\"hi\",\"context\":[]}")]
    [InlineData("{\"text\":\"hi\",\"channel\":7}")]
    public async Task MessageNotFollowingTheContractIsBadRequest(string body)
    {
        var user = ApiClient.NewUserId("bad-message");

        (await services.Api.SendAsync(HttpMethod.Post, ApiClient.StatePath(user) + "/messages", body)).ShouldBeProblem(HttpStatusCode.BadRequest);

        (await services.Api.GetStateAsync(user)).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task NulCharacterInContextIsBadRequestAndNothingIsStored()
    {
        var user = ApiClient.NewUserId("nul");

        var response = (await services.Api.SendAsync(HttpMethod.Post, ApiClient.StatePath(user) + "/messages", "{\"text\":\"hi\",\"context\":{\"k\":\"a\\u0000b\"}}"))
            .ShouldBeProblem(HttpStatusCode.BadRequest);

        Assert.Contains("U+0000", response.Detail!, StringComparison.Ordinal);
        (await services.Api.GetStateAsync(user)).ShouldBeProblem(HttpStatusCode.NotFound);
        Assert.Empty((await services.Api.GetHistoryAsync(user)).ShouldBe(HttpStatusCode.OK).Json["items"]!.AsArray());
    }

    [Fact]
    public async Task NulCharacterInPutStateIsBadRequestAndNothingIsStored()
    {
        var user = ApiClient.NewUserId("nul-put");

        (await services.Api.SendAsync(HttpMethod.Put, ApiClient.StatePath(user), "{\"nlu\":{\"k\\u0000\":1}}")).ShouldBeProblem(HttpStatusCode.BadRequest);

        (await services.Api.GetStateAsync(user)).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("{\"nlu\":[]}", "nlu")]
    [InlineData("{\"complete\":\"yes\"}", "complete")]
    [InlineData("{\"missing_parameters\":[1]}", "missing_parameters")]
    [InlineData("{\"parameters\":{}}", "parameters")]
    [InlineData("{\"context\":null}", "context")]
    [InlineData("{\"date\":\"yesterday\"}", "date")]
    public async Task WrongTypedFieldInPutIsBadRequestNamingTheField(string body, string field)
    {
        var user = ApiClient.NewUserId("wrong-type");

        var response = (await services.Api.SendAsync(HttpMethod.Put, ApiClient.StatePath(user), body)).ShouldBeProblem(HttpStatusCode.BadRequest);

        Assert.Contains(field, response.Detail!, StringComparison.Ordinal);
        (await services.Api.GetStateAsync(user)).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ThreadIdNotMatchingTheUrlIsBadRequest()
    {
        var user = ApiClient.NewUserId("thread");

        var response = (await services.Api.PutStateAsync(user, new JsonObject { ["thread_id"] = "someone-else" })).ShouldBeProblem(HttpStatusCode.BadRequest);

        Assert.Contains("thread_id", response.Detail!, StringComparison.Ordinal);
        (await services.Api.GetStateAsync(user)).ShouldBeProblem(HttpStatusCode.NotFound);
        (await services.Api.GetStateAsync("someone-else")).ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PutStateFillsMissingFieldsWithDefaultsAndKeepsUnknownOnesOut()
    {
        var user = ApiClient.NewUserId("from-dict");

        var state = (await services.Api.PutStateAsync(user, new JsonObject { ["context"] = new JsonObject { ["k"] = 1 }, ["unknown_field"] = 1 }))
            .ShouldBe(HttpStatusCode.Created).Json;

        Assert.Equal(user, state["thread_id"]!.GetValue<string>());
        Assert.False(state.ContainsKey("unknown_field"));
        Assert.Null(state["user_message"]);
        Assert.True(JsonNode.DeepEquals(new JsonObject(), state["intent"]));
        Assert.Equal("", state["current_node"]!.GetValue<string>());
        Assert.Matches(StateRoundTripTests.PythonIsoDate(), state["date"]!.GetValue<string>());
    }
}
