using System.Text.Json.Nodes;

namespace BotStateCluster.Grains;

/// <summary>The domain rules of a conversation turn, as the Python <c>State</c> applies them.</summary>
public static class StateRules
{
    /// <summary>
    /// <c>State.update(user_message)</c>: records the message, stamps the date, merges the message's
    /// context over the conversation's, and, only when the previous intent was complete, starts over
    /// with the same nulls Python leaves behind.
    /// </summary>
    public static ConversationState Update(ConversationState state, UserMessage message, DateTimeOffset now)
    {
        var updated = state with
        {
            UserMessage = message,
            Date = PythonDate.Truncate(now),
            Context = MergeShallow(state.Context, message.Context),
        };

        if (!state.Complete)
        {
            return updated;
        }

        return updated with
        {
            BotMessage = [],
            Intent = null,
            Parameters = [],
            ExtractedParameters = [],
            MissingParameters = [],
            Complete = false,
            CurrentNode = null,
        };
    }

    /// <summary>The message a turn applies: the user's text with this conversation's defaults.</summary>
    public static UserMessage ToUserMessage(IncomingMessage message, string threadId) => new()
    {
        ThreadId = threadId,
        Text = message.Text,
        Channel = message.Channel ?? UserMessage.DefaultChannel,
        Context = (JsonObject?)message.Context?.DeepClone() ?? [],
    };

    private static JsonObject MergeShallow(JsonObject baseContext, JsonObject overrides)
    {
        var merged = (JsonObject)baseContext.DeepClone();
        foreach (var (key, value) in overrides)
        {
            merged[key] = value?.DeepClone();
        }

        return merged;
    }
}
