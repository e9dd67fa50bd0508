using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BotStateCluster;

/// <summary>
/// The JSON contract of a state: <c>to_dict</c> and <c>from_dict</c> of the Python <c>State</c>,
/// with the snake_case names every client, the database and the history use.
/// </summary>
public static class StateJson
{
    /// <summary>
    /// How the service writes JSON everywhere (API, storage, history): unicode and '+' (in dates) as they are,
    /// as the Python service wrote them, so the rows read naturally in psql and sqlite3 too.
    /// </summary>
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>
    /// The state as the Python service's <c>to_dict()</c> wrote it, UTF-8, written straight from the state without
    /// building a copy of it: what is stored, and what every read of that version hands out.
    /// </summary>
    public static byte[] ToUtf8Json(ConversationState state) => JsonBytes.Write(state, Write);

    /// <summary>Writes the state as <c>to_dict()</c>, field for field: <c>user_message</c> as <c>{thread_id, text, channel, context}</c>.</summary>
    public static void Write(Utf8JsonWriter writer, ConversationState state)
    {
        writer.WriteStartObject();
        writer.WriteString(StateFields.ThreadId, state.ThreadId);
        writer.WritePropertyName(StateFields.UserMessage);
        if (state.UserMessage is { } message)
        {
            writer.WriteStartObject();
            writer.WriteString(StateFields.Message.ThreadId, message.ThreadId);
            writer.WriteString(StateFields.Message.Text, message.Text);
            writer.WriteString(StateFields.Message.Channel, message.Channel);
            WriteNode(writer, StateFields.Message.Context, message.Context);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNullValue();
        }

        WriteNode(writer, StateFields.BotMessage, state.BotMessage);
        WriteNode(writer, StateFields.Nlu, state.Nlu);
        WriteNode(writer, StateFields.Context, state.Context);
        WriteNode(writer, StateFields.Intent, state.Intent);
        WriteNode(writer, StateFields.Parameters, state.Parameters);
        WriteNode(writer, StateFields.ExtractedParameters, state.ExtractedParameters);
        writer.WriteStartArray(StateFields.MissingParameters);
        foreach (var name in state.MissingParameters)
        {
            writer.WriteStringValue(name);
        }

        writer.WriteEndArray();
        writer.WriteBoolean(StateFields.Complete, state.Complete);
        writer.WriteString(StateFields.CurrentNode, state.CurrentNode);
        writer.WriteString(StateFields.Date, PythonDate.Format(state.Date));
        writer.WriteEndObject();
    }

    private static void WriteNode(Utf8JsonWriter writer, string name, JsonNode? node)
    {
        writer.WritePropertyName(name);
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    }

    /// <summary>The state as the Python service's <c>to_dict()</c> wrote it, as a JSON tree of its own.</summary>
    public static JsonObject ToJson(ConversationState state) => (JsonObject)JsonNode.Parse(ToUtf8Json(state))!;

    /// <summary>
    /// Reads a state sent by a client (<c>from_dict</c>): missing fields take their defaults, unknown
    /// fields are ignored, <c>user_message</c> is coerced, anything of the wrong type is refused.
    /// </summary>
    /// <param name="json">The client's JSON.</param>
    /// <param name="threadId">The conversation the state is for; a different <c>thread_id</c> is refused.</param>
    /// <param name="now">The date a state without one gets.</param>
    /// <exception cref="StateFormatException">The JSON does not follow the contract.</exception>
    public static ConversationState FromJson(JsonNode? json, string threadId, DateTimeOffset now) =>
        Read(json, threadId, now, fromClient: true);

    /// <summary>
    /// Reads a state this service wrote itself (storage, history), trusting its shape. The state takes the parts of
    /// <paramref name="json"/> instead of copies of them, which leaves it without them: pass a tree nothing else reads.
    /// </summary>
    public static ConversationState FromStoredJson(JsonNode json)
    {
        var threadId = json[StateFields.ThreadId]?.GetValue<string>()
            ?? throw new StateFormatException("A stored state has no thread_id.");

        // What was stored before a limit existed must stay readable, so the input limits are not applied again.
        return Read(json, threadId, DateTimeOffset.UnixEpoch, fromClient: false);
    }

    private static ConversationState Read(JsonNode? json, string threadId, DateTimeOffset now, bool fromClient)
    {
        if (json is not JsonObject body)
        {
            throw new StateFormatException("The state must be a JSON object.");
        }

        if (fromClient)
        {
            JsonText.RejectUnstorableText(body, "state");
        }

        var bodyThreadId = OptionalString(body, StateFields.ThreadId, nullable: false);
        if (bodyThreadId is not null && bodyThreadId != threadId)
        {
            throw new StateFormatException($"thread_id '{bodyThreadId}' does not match the user id '{threadId}' of the URL.");
        }

        return new ConversationState
        {
            ThreadId = threadId,
            UserMessage = CoerceUserMessage(body[StateFields.UserMessage], threadId, copy: fromClient),
            BotMessage = ObjectArray(body, StateFields.BotMessage, nullable: true, copy: fromClient),
            Nlu = Object(body, StateFields.Nlu, nullable: false, copy: fromClient) ?? [],
            Context = Object(body, StateFields.Context, nullable: false, copy: fromClient) ?? [],
            Intent = body.ContainsKey(StateFields.Intent) ? Object(body, StateFields.Intent, nullable: true, copy: fromClient) : [],
            Parameters = ObjectArray(body, StateFields.Parameters, nullable: false, copy: fromClient) ?? [],
            ExtractedParameters = Object(body, StateFields.ExtractedParameters, nullable: false, copy: fromClient) ?? [],
            MissingParameters = StringArray(body, StateFields.MissingParameters),
            Complete = Bool(body, StateFields.Complete),
            CurrentNode = body.ContainsKey(StateFields.CurrentNode) ? OptionalString(body, StateFields.CurrentNode, nullable: true) : "",
            Date = Date(body, now),
        };
    }

    private static UserMessage? CoerceUserMessage(JsonNode? node, string threadId, bool copy)
    {
        if (node is not JsonObject message || message[StateFields.Message.Text]?.GetValueKind() != JsonValueKind.String)
        {
            return null;
        }

        return new UserMessage
        {
            ThreadId = OptionalString(message, StateFields.Message.ThreadId, nullable: true, "user_message.") ?? threadId,
            Text = message[StateFields.Message.Text]!.GetValue<string>(),
            Channel = OptionalString(message, StateFields.Message.Channel, nullable: true, "user_message.") ?? UserMessage.DefaultChannel,
            Context = Object(message, StateFields.Message.Context, nullable: true, copy, "user_message.") ?? [],
        };
    }

    private static string? OptionalString(JsonObject body, string name, bool nullable, string prefix = "")
    {
        var node = Field(body, name, nullable, "a string", prefix);
        return node is null ? null : Expect(node, JsonValueKind.String, name, "a string", prefix).GetValue<string>();
    }

    private static JsonObject? Object(JsonObject body, string name, bool nullable, bool copy, string prefix = "")
    {
        var node = Field(body, name, nullable, "an object", prefix);
        return node is null ? null : (JsonObject)Claim(body, name, Expect(node, JsonValueKind.Object, name, "an object", prefix), copy);
    }

    private static JsonArray? ObjectArray(JsonObject body, string name, bool nullable, bool copy)
    {
        var node = Field(body, name, nullable, "an array of objects");
        if (node is null)
        {
            return null;
        }

        var array = (JsonArray)Expect(node, JsonValueKind.Array, name, "an array of objects");
        if (array.Any(item => item?.GetValueKind() != JsonValueKind.Object))
        {
            throw new StateFormatException($"{name} must be an array of objects.");
        }

        return (JsonArray)Claim(body, name, array, copy);
    }

    // A node has one parent. A client's tree may still be read by its caller, so the state gets copies of its
    // parts; a stored tree was parsed for this read alone, so its parts move over, and a turn does not copy the
    // whole state once more after parsing it.
    private static JsonNode Claim(JsonObject parent, string name, JsonNode node, bool copy)
    {
        if (copy)
        {
            return node.DeepClone();
        }

        parent.Remove(name);
        return node;
    }

    private static ImmutableArray<string> StringArray(JsonObject body, string name)
    {
        var node = Field(body, name, nullable: false, "an array of strings");
        if (node is null)
        {
            return [];
        }

        var array = (JsonArray)Expect(node, JsonValueKind.Array, name, "an array of strings");
        if (array.Any(item => item?.GetValueKind() != JsonValueKind.String))
        {
            throw new StateFormatException($"{name} must be an array of strings.");
        }

        return [.. array.Select(item => item!.GetValue<string>())];
    }

    private static bool Bool(JsonObject body, string name)
    {
        var node = Field(body, name, nullable: false, "true or false");
        return node switch
        {
            null => false,
            _ when node.GetValueKind() is JsonValueKind.True => true,
            _ when node.GetValueKind() is JsonValueKind.False => false,
            _ => throw new StateFormatException($"{name} must be true or false."),
        };
    }

    private static DateTimeOffset Date(JsonObject body, DateTimeOffset now)
    {
        var text = OptionalString(body, StateFields.Date, nullable: false);
        if (text is null)
        {
            return PythonDate.Truncate(now);
        }

        return PythonDate.TryParse(text, out var date)
            ? date
            : throw new StateFormatException($"date '{text}' is not an ISO-8601 date such as 2024-05-01T12:30:00.000000+00:00.");
    }

    // A missing field is null (the default applies); an explicit null is refused where the contract has no null.
    private static JsonNode? Field(JsonObject body, string name, bool nullable, string expected, string prefix = "")
    {
        if (!body.TryGetPropertyValue(name, out var node))
        {
            return null;
        }

        if (node is null && !nullable)
        {
            throw new StateFormatException($"{prefix}{name} must be {expected}, not null.");
        }

        return node;
    }

    private static JsonNode Expect(JsonNode node, JsonValueKind kind, string name, string expected, string prefix = "") =>
        node.GetValueKind() == kind
            ? node
            : throw new StateFormatException($"{prefix}{name} must be {expected}, not {Describe(node.GetValueKind())}.");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
