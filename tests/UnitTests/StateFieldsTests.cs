using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BotStateCluster.Api;

namespace BotStateCluster.UnitTests;

/// <summary>
/// The state's fields are named once (<see cref="StateFields"/>); every place that handles them handles exactly those:
/// the stored model, the writer, the reader and the HTTP wire type. A field added to one and not the others fails here.
/// </summary>
public sealed class StateFieldsTests
{
    private static readonly ConversationState Full = new()
    {
        ThreadId = "u1",
        UserMessage = new UserMessage { ThreadId = "u1", Text = "hi", Channel = "web", Context = new JsonObject { ["a"] = 1 } },
        BotMessage = [new JsonObject { ["text"] = "hello" }],
        Nlu = new JsonObject { ["x"] = 1 },
        Context = new JsonObject { ["c"] = true },
        Intent = new JsonObject { ["id"] = "book" },
        Parameters = [new JsonObject { ["name"] = "city" }],
        ExtractedParameters = new JsonObject { ["city"] = "Oslo" },
        MissingParameters = ["date"],
        Complete = true,
        CurrentNode = "ask_date",
        Date = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
    };

    [Fact]
    public void TheStoredModelHasOnePropertyPerField()
    {
        var serialized = typeof(ConversationState).GetProperties().Where(property => property.GetCustomAttribute<IdAttribute>() is not null);

        Assert.Equal(StateFields.All.Count, serialized.Count());
        Assert.Equal(StateFields.Message.All.Count, typeof(UserMessage).GetProperties().Count(property => property.GetCustomAttribute<IdAttribute>() is not null));
    }

    [Fact]
    public void TheWriterWritesEveryFieldInOrder()
    {
        var json = JsonNode.Parse(StateJson.ToUtf8Json(Full))!.AsObject();

        Assert.Equal(StateFields.All, json.Select(property => property.Key));
        Assert.Equal(StateFields.Message.All, json[StateFields.UserMessage]!.AsObject().Select(property => property.Key));
    }

    [Fact]
    public void TheReaderReadsBackEveryField()
    {
        var read = StateJson.FromJson(JsonNode.Parse(StateJson.ToUtf8Json(Full)), "u1", DateTimeOffset.UnixEpoch);

        Assert.Equal(StateJson.ToUtf8Json(Full), StateJson.ToUtf8Json(read));
        foreach (var field in StateFields.All.Where(field => field != StateFields.ThreadId))
        {
            // Without the field the default applies: the reader knows each name.
            var partial = JsonNode.Parse(StateJson.ToUtf8Json(Full))!.AsObject();
            partial.Remove(field);
            Assert.NotEqual(StateJson.ToUtf8Json(Full), StateJson.ToUtf8Json(StateJson.FromJson(partial, "u1", DateTimeOffset.UnixEpoch)));
        }
    }

    [Fact]
    public void TheWireTypeDeclaresEveryFieldInOrder()
    {
        static IEnumerable<string?> Names(Type type) => type.GetProperties().Select(property => property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name);

        Assert.Equal(StateFields.All, Names(typeof(StateBody)));
        Assert.Equal(StateFields.Message.All, Names(typeof(UserMessageBody)));
    }
}
