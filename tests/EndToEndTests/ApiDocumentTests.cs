using System.Net;
using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// The OpenAPI document is complete enough to hold every answer to (see <see cref="OpenApiContract"/>,
/// which <see cref="ApiClient"/> applies to every response of the suite), and the check itself bites.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class ApiDocumentTests(ServiceFixture services)
{
    [Fact]
    public async Task TheStateSchemaDeclaresEveryFieldOfTheState()
    {
        var document = JsonNode.Parse(await services.Gateway.Http.GetStringAsync("/openapi/v1.json"))!;
        var state = document["components"]!["schemas"]!["StateBody"]!;

        var fields = StateFields.All;
        Assert.Equal(fields, state["properties"]!.AsObject().Select(property => property.Key));
        Assert.Equal(fields, state["required"]!.AsArray().Select(name => name!.GetValue<string>()));
    }

    [Fact]
    public async Task TheDialogueFieldsAreObjectsWithAnyKeys()
    {
        var schemas = JsonNode.Parse(await services.Gateway.Http.GetStringAsync("/openapi/v1.json"))!["components"]!["schemas"]!;
        var state = schemas["StateBody"]!["properties"]!;

        // What generated code reads as "any keys": an object whose additionalProperties is true or a schema.
        IEnumerable<(string Where, JsonNode Schema)> freeForm =
        [
            .. new[] { "nlu", "context", "intent", "extracted_parameters" }.Select(field => ($"StateBody.{field}", Resolve(state[field]!, schemas))),
            .. new[] { "parameters", "bot_message" }.Select(field => ($"StateBody.{field}[]", Resolve(Resolve(state[field]!, schemas)["items"]!, schemas))),
            ("UserMessageBody.context", Resolve(schemas["UserMessageBody"]!["properties"]!["context"]!, schemas)),
            ("MessageBody.context", Resolve(schemas["MessageBody"]!["properties"]!["context"]!, schemas)),
        ];

        foreach (var (where, schema) in freeForm)
        {
            Assert.True(schema["type"]?.GetValue<string>() == "object", $"{where}: {schema.ToJsonString()}");
            Assert.True(schema["additionalProperties"] is JsonObject || schema["additionalProperties"]?.GetValue<bool>() == true, $"{where}: {schema.ToJsonString()}");
        }
    }

    [Fact]
    public async Task EveryNullableSchemaNamesTheTypeItAddsNullTo()
    {
        var document = JsonNode.Parse(await services.Gateway.Http.GetStringAsync("/openapi/v1.json"))!;
        var state = document["components"]!["schemas"]!["StateBody"]!["properties"]!;

        // OpenAPI 3.0: nullable only adds null to a declared type; without one it means nothing.
        Assert.Empty(Descendants(document).Where(node => node["nullable"] is not null && node["type"] is null).Select(node => node.GetPath()));
        Assert.All(new[] { "user_message", "bot_message", "intent", "current_node" }, field => Assert.True(state[field]!["nullable"]?.GetValue<bool>(), field));
    }

    [Theory]
    [InlineData("get", "/v1/states/{userId}", new[] { "200", "304", "400", "401", "403", "404", "429", "503" })]
    [InlineData("put", "/v1/states/{userId}", new[] { "200", "201", "400", "401", "403", "412", "413", "415", "429", "503" })]
    [InlineData("delete", "/v1/states/{userId}", new[] { "204", "400", "401", "403", "412", "429", "503" })]
    [InlineData("post", "/v1/states/{userId}/messages", new[] { "200", "400", "401", "403", "412", "413", "415", "422", "429", "503" })]
    [InlineData("get", "/v1/states/{userId}/history", new[] { "200", "400", "401", "403", "429", "503" })]
    [InlineData("get", "/v1/states/{userId}/active-intent", new[] { "200", "400", "401", "403", "404", "429", "503" })]
    [InlineData("get", "/v1/states/{userId}/history/{version}", new[] { "200", "400", "401", "403", "404", "429", "503" })]
    [InlineData("post", "/v1/states/{userId}/restore", new[] { "200", "400", "401", "403", "404", "412", "413", "415", "429", "503" })]
    [InlineData("post", "/v1/states/{userId}/fork", new[] { "201", "400", "401", "403", "404", "409", "412", "413", "415", "429", "503" })]
    [InlineData("get", "/v1/changes", new[] { "200", "400", "401", "403", "429", "503" })]
    [InlineData("get", "/v1/changes/stream", new[] { "200", "400", "401", "403", "429", "503" })]
    [InlineData("get", "/v1/changes/failed-deliveries", new[] { "200", "400", "401", "403", "429", "503" })]
    [InlineData("post", "/v1/changes/failed-deliveries/retry", new[] { "202", "400", "401", "403", "413", "415", "429", "503" })]
    public async Task EveryOutcomeOfAnOperationIsDocumented(string method, string path, string[] statuses)
    {
        var contract = await OpenApiContract.OfAsync(services.Gateway.Http);

        var operation = contract.Document.Paths[path][method];

        Assert.Equal(statuses.Order(), operation.ActualResponses.Keys.Order());
        foreach (var status in statuses.Where(status => status[0] is '4' or '5'))
        {
            Assert.Contains("application/problem+json", operation.ActualResponses[status].Content.Keys);
            Assert.Contains("urn:botstate:problem:", operation.ActualResponses[status].Description, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RequestHeadersAndBodiesAreDocumented()
    {
        var contract = await OpenApiContract.OfAsync(services.Gateway.Http);
        var turn = contract.Document.Paths["/v1/states/{userId}/messages"]["post"];
        var put = contract.Document.Paths["/v1/states/{userId}"]["put"];
        var history = contract.Document.Paths["/v1/states/{userId}/history"]["get"];

        Assert.Equal(["userId", "If-Match", "Idempotency-Key"], turn.ActualParameters.Where(parameter => parameter.Kind != NSwag.OpenApiParameterKind.Body).Select(parameter => parameter.Name));
        Assert.Equal(["userId", "If-Match", "If-None-Match"], put.ActualParameters.Where(parameter => parameter.Kind != NSwag.OpenApiParameterKind.Body).Select(parameter => parameter.Name));
        Assert.Equal(["userId", "limit", "before"], history.ActualParameters.Where(parameter => parameter.Kind != NSwag.OpenApiParameterKind.Body).Select(parameter => parameter.Name));
        Assert.Equal(["text", "context", "channel"], turn.RequestBody.Content["application/json"].Schema.ActualSchema.ActualProperties.Keys);
        Assert.Contains("thread_id", put.RequestBody.Content["application/json"].Schema.ActualSchema.ActualProperties.Keys);
        Assert.Contains("ETag", put.ActualResponses["201"].Headers.Keys);
        Assert.Contains("Idempotent-Replayed", turn.ActualResponses["200"].Headers.Keys);
        Assert.Contains("Retry-After", turn.ActualResponses["503"].Headers.Keys);
    }

    [Fact]
    public async Task TheEntityTagAndReplayHeadersAreDocumentedOnlyWhereTheyAreSent()
    {
        var contract = await OpenApiContract.OfAsync(services.Gateway.Http);
        var operations = contract.Document.Paths.SelectMany(path => path.Value.Select(operation => (Name: $"{operation.Key} {path.Key}", operation.Value)));

        string[] Documenting(string header) =>
            [.. operations.Where(operation => operation.Value.ActualResponses.Values.Any(response => response.Headers.ContainsKey(header))).Select(operation => operation.Name)];

        Assert.Equal(
            ["get /v1/states/{userId}", "post /v1/states/{userId}/fork", "post /v1/states/{userId}/messages", "post /v1/states/{userId}/restore", "put /v1/states/{userId}"],
            Documenting("ETag").Order(StringComparer.Ordinal));
        Assert.Equal(["post /v1/states/{userId}/messages"], Documenting("Idempotent-Replayed"));
    }

    [Fact]
    public async Task TheProbesAreNamedAndNeedNoKey()
    {
        var paths = JsonNode.Parse(await services.Gateway.Http.GetStringAsync("/openapi/v1.json"))!["paths"]!.AsObject();

        foreach (var path in new[] { "/health", "/health/live", "/readiness", "/health/ready", "/health/startup", "/metrics" })
        {
            var operation = paths[path]!["get"]!;
            Assert.False(string.IsNullOrEmpty(operation["operationId"]?.GetValue<string>()), path);
            Assert.True(operation["security"] is JsonArray { Count: 0 }, $"{path}: {operation["security"]?.ToJsonString() ?? "no security"}");
        }

        Assert.NotNull(paths["/metrics"]!["get"]!["responses"]!["404"]);
        Assert.DoesNotContain(paths, path => !path.Key.StartsWith("/v1/", StringComparison.Ordinal) && !path.Key.StartsWith("/health", StringComparison.Ordinal)
            && path.Key is not ("/readiness" or "/metrics"));
    }

    [Fact]
    public async Task AnAnswerWithAFieldTheSchemaDoesNotDeclareBreaksTheContract()
    {
        var user = ApiClient.NewUserId("contract-field");
        var answer = (await services.Api.PostMessageAsync(user, "hi")).ShouldBe(HttpStatusCode.OK);
        var json = JsonNode.Parse(await services.Gateway.Http.GetStringAsync("/openapi/v1.json"))!;
        json["components"]!["schemas"]!["StateBody"]!["properties"]!.AsObject().Remove("complete");
        var contract = await OpenApiContract.FromJsonAsync(json.ToJsonString());

        var violations = contract.Violations("POST", ApiClient.StatePath(user) + "/messages", answer.Status, answer.MediaType, ["ETag"], answer.Body);

        Assert.Contains(violations, violation => violation.Contains("$.complete: answered, but not declared", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAnswerWithAnUndocumentedStatusBreaksTheContract()
    {
        var user = ApiClient.NewUserId("contract-status");
        var answer = (await services.Api.GetStateAsync(user)).ShouldBeProblem(HttpStatusCode.NotFound);
        var json = JsonNode.Parse(await services.Gateway.Http.GetStringAsync("/openapi/v1.json"))!;
        json["paths"]!["/v1/states/{userId}"]!["get"]!["responses"]!.AsObject().Remove("404");
        var contract = await OpenApiContract.FromJsonAsync(json.ToJsonString());

        var violations = contract.Violations("GET", ApiClient.StatePath(user), answer.Status, answer.MediaType, [], answer.Body);

        Assert.Contains(violations, violation => violation.Contains("status 404 is not documented", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAnswerWithAWronglyTypedOrMissingFieldBreaksTheContract()
    {
        var contract = await OpenApiContract.OfAsync(services.Gateway.Http);

        var violations = contract.Violations(
            "GET", "/v1/states/u/active-intent", HttpStatusCode.OK, "application/json", [], """{"thread_id": 7}""");

        Assert.Contains(violations, violation => violation.Contains("$.thread_id: Number", StringComparison.Ordinal));
        Assert.Contains(violations, violation => violation.Contains("$.intent_id: required", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheApiReferenceIsServedAtDocs()
    {
        using var response = await services.Gateway.Http.GetAsync("/docs");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<html", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("openapi/v1.json", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheApiReferenceIsAbsentWhenApiDocsAreDisabled()
    {
        var gateway = await services.Cluster.StartGatewayAsync(new Dictionary<string, string> { ["API_DOCS_ENABLED"] = "false" });

        using var docs = await gateway.Http.GetAsync("/docs");
        using var document = await gateway.Http.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.NotFound, docs.StatusCode);
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
    }

    // The schema a property stands for: its $ref's target, or the one schema of an allOf (how 3.0 writes a nullable reference).
    private static JsonNode Resolve(JsonNode schema, JsonNode schemas) => schema switch
    {
        _ when schema["$ref"] is { } reference => Resolve(schemas[reference.GetValue<string>().Split('/')[^1]]!, schemas),
        _ when schema["allOf"] is JsonArray { Count: 1 } parts => Resolve(parts[0]!, schemas),
        _ => schema,
    };

    private static IEnumerable<JsonObject> Descendants(JsonNode? node) => node switch
    {
        JsonObject obj => [obj, .. obj.SelectMany(property => Descendants(property.Value))],
        JsonArray array => array.SelectMany(Descendants),
        _ => [],
    };
}
