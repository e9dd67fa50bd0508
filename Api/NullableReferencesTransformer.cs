using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BotStateCluster.Api;

/// <summary>
/// Writes a nullable reference (a <c>UserMessageBody?</c> field, an optional body) the way OpenAPI 3.0 can say it. The
/// generator models it as <c>oneOf: [null, $ref]</c>, which the 3.0 writer turns into a member that is <c>nullable</c>
/// with no <c>type</c>: meaningless in 3.0, where nullable only adds null to a declared type, so linters reject it and
/// validators and code generators may read the field as never null. The 3.0 idiom is the referenced schema's type,
/// nullable, with the reference in <c>allOf</c>.
/// </summary>
internal sealed class NullableReferencesTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var schema in document.Components?.Schemas?.Values ?? [])
        {
            Rewrite(schema, document);
        }

        foreach (var operation in (document.Paths ?? []).Values.SelectMany(item => item.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()))
        {
            var contents = (operation.Responses ?? []).Values.Select(response => response.Content).Append(operation.RequestBody?.Content);
            foreach (var media in contents.OfType<IDictionary<string, OpenApiMediaType>>().SelectMany(content => content.Values))
            {
                media.Schema = media.Schema is { } schema ? Rewrite(schema, document) : null;
            }

            foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
            {
                parameter.Schema = parameter.Schema is { } schema ? Rewrite(schema, document) : null;
            }
        }

        return Task.CompletedTask;
    }

    // The schema to use instead of this one; the parts of an inline schema are rewritten in place. A reference is left
    // as it is: its target is rewritten where the document defines it.
    private static IOpenApiSchema Rewrite(IOpenApiSchema schema, OpenApiDocument document)
    {
        if (schema is not OpenApiSchema inline)
        {
            return schema;
        }

        if (inline.OneOf is [var first, var second] && IsNull(first) != IsNull(second)
            && (IsNull(first) ? second : first) is OpenApiSchemaReference reference
            && TypeOf(reference, document) is { } type)
        {
            return new OpenApiSchema { Type = type | JsonSchemaType.Null, AllOf = [reference], Description = inline.Description };
        }

        foreach (var name in inline.Properties?.Keys.ToList() ?? [])
        {
            inline.Properties![name] = Rewrite(inline.Properties[name], document);
        }

        if (inline.Items is { } items)
        {
            inline.Items = Rewrite(items, document);
        }

        return inline;
    }

    private static bool IsNull(IOpenApiSchema schema) => schema is OpenApiSchema { Type: JsonSchemaType.Null };

    private static JsonSchemaType? TypeOf(OpenApiSchemaReference reference, OpenApiDocument document) =>
        reference.Reference.Id is { } id && document.Components?.Schemas?.TryGetValue(id, out var target) == true ? target.Type : null;
}
