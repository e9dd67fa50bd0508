using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BotStateCluster.Silo.Import;

/// <summary>One document of an import file, or why it could not be read, with its line (or array position).</summary>
public sealed record ImportLine(int Line, JsonNode? Document, string? Error);

/// <summary>
/// Reads the documents of an import file: JSON lines (mongoexport's default, or <c>to_dict</c> states one
/// per line), streamed, or one JSON array (<c>mongoexport --jsonArray</c>), whose elements are numbered
/// by position and which is read whole.
/// </summary>
public static class ImportDocumentReader
{
    private static readonly JsonDocumentOptions Options = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    public static async IAsyncEnumerable<ImportLine> ReadAsync(TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var line = 1;
        while (reader.Peek() is var next && next >= 0 && char.IsWhiteSpace((char)next))
        {
            line += reader.Read() == '\n' ? 1 : 0;
        }

        if (reader.Peek() == '[')
        {
            foreach (var item in ReadArray(await reader.ReadToEndAsync(cancellationToken), line))
            {
                yield return item;
            }

            yield break;
        }

        while (await reader.ReadLineAsync(cancellationToken) is { } text)
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                yield return Parse(text, line);
            }

            line++;
        }
    }

    private static ImportLine Parse(string text, int line)
    {
        try
        {
            return new ImportLine(line, JsonNode.Parse(text, documentOptions: Options), null);
        }
        catch (JsonException exception)
        {
            return new ImportLine(line, null, $"not valid JSON ({exception.Message})");
        }
    }

    private static IEnumerable<ImportLine> ReadArray(string text, int line)
    {
        JsonArray array;
        try
        {
            array = (JsonArray)JsonNode.Parse(text, documentOptions: Options)!;
        }
        catch (JsonException exception)
        {
            return [new ImportLine(line, null, $"the JSON array is not valid JSON, so none of it was read ({exception.Message})")];
        }

        return array.Select((element, index) => new ImportLine(index + 1, element?.DeepClone(), null));
    }
}
