using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace BotStateCluster.Api;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c> and the browsable reference over it at <c>/docs</c>.</summary>
internal static class ApiDocument
{
    /// <summary>Where the API reference is served when <c>API_DOCS_ENABLED</c>.</summary>
    public const string DocsPath = "/docs";

    /// <summary>Every operation of the API lives under <c>/v1/</c> (as the route generator writes paths, without the leading slash).</summary>
    private const string ApiPathPrefix = "v1/";

    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(openApi =>
        {
            // 3.0 rather than 3.1: the generators and validators clients use still read 3.0 best.
            openApi.OpenApiVersion = OpenApiSpecVersion.OpenApi3_0;
            // The document is the API's contract, the same from the gateway and from a silo: what else the hosting process
            // maps (the silo's dashboard) stays out of it. The probes are described by OperationalPathsTransformer.
            openApi.ShouldInclude = description => description.RelativePath?.StartsWith(ApiPathPrefix, StringComparison.Ordinal) == true;
            openApi.AddDocumentTransformer<OperationalPathsTransformer>();
            openApi.AddDocumentTransformer<DocumentInfoTransformer>();
            openApi.AddDocumentTransformer<WebhookDocumentTransformer>();
            openApi.AddOperationTransformer(DescribeUserIdAsync);
            openApi.AddOperationTransformer(ApiHeaders.DescribeAsync);
            openApi.AddOperationTransformer(DescribeProblemTypesAsync);
            openApi.AddSchemaTransformer(DescribeTraceIdAsync);
            openApi.AddSchemaTransformer(DescribeFreeFormAsync);
            openApi.AddDocumentTransformer<NullableReferencesTransformer>();
        });

    public static WebApplication MapApiDocument(this WebApplication app, ApiOptions options)
    {
        app.MapOpenApi();
        if (options.ApiDocsEnabled)
        {
            app.MapScalarApiReference(DocsPath, scalar => scalar.WithTitle(DocumentInfoTransformer.Title));
        }

        return app;
    }

    // {userId} is bound from the raw path by RoutedUserId, so the generator does not see it as a route value.
    private static Task DescribeUserIdAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.RelativePath?.Contains($"{{{RoutedUserId.RouteParameter}}}", StringComparison.Ordinal) != true)
        {
            return Task.CompletedTask;
        }

        operation.Parameters ??= [];
        if (operation.Parameters.Any(parameter => parameter.Name == RoutedUserId.RouteParameter && parameter.In == ParameterLocation.Path))
        {
            operation.Parameters = [.. operation.Parameters.Where(parameter => !(parameter.Name == RoutedUserId.RouteParameter && parameter.In == ParameterLocation.Path))];
        }

        operation.Parameters.Insert(0, new OpenApiParameter
        {
            Name = RoutedUserId.RouteParameter,
            In = ParameterLocation.Path,
            Required = true,
            Description = $"The user id, one percent-encoded path segment (a/b is a%2Fb): 1 to {UserId.MaxLength} characters of UTF-8 text, no control characters. Invalid percent-encoding and '.'/'..' segments are a 400.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = UserId.MaxLength },
        });
        return Task.CompletedTask;
    }

    // Every problem the gateway writes carries the request's trace id, an RFC 9457 extension member.
    private static Task DescribeTraceIdAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type == typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))
        {
            schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
            schema.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The W3C trace id of the request, to find it in the logs." };
        }

        return Task.CompletedTask;
    }

    // The dialogue's own data (nlu, context, intent, extracted_parameters, parameters and bot_message items, a message's
    // context) is the chatbot's, with any keys: the generator writes a bare "type: object" for JsonObject, which code
    // generators read as an object with no fields at all. StateJson accepts exactly objects and arrays of objects.
    private static Task DescribeFreeFormAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type == typeof(JsonObject))
        {
            schema.Description ??= "A JSON object with any keys, kept as the client sent it.";
            schema.AdditionalProperties = new OpenApiSchema();
        }
        else if (context.JsonTypeInfo.Type == typeof(JsonArray))
        {
            schema.Description ??= "An array of JSON objects with any keys, kept as the client sent it.";
            schema.Items = new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalProperties = new OpenApiSchema() };
        }

        return Task.CompletedTask;
    }

    // Names the stable problem types a status can carry, so clients know what to switch on.
    private static Task DescribeProblemTypesAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var (status, response) in operation.Responses ?? [])
        {
            var kinds = ProblemKinds.All.Where(kind => kind.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) == status).ToList();
            if (kinds.Count > 0 && response is OpenApiResponse described)
            {
                var title = kinds.Count == 1 ? kinds[0].Title : "Bad request";
                described.Description = $"{title}. Problem type: {string.Join(" or ", kinds.Select(kind => kind.Type))}.";
            }
        }

        return Task.CompletedTask;
    }
}
