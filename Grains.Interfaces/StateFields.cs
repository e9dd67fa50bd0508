namespace BotStateCluster;

/// <summary>
/// The JSON names of a state's fields (DESIGN section 3), in <c>to_dict</c> order: the one place they are written. The
/// writer and reader (<see cref="StateJson"/>), the HTTP wire type and the tests name fields from here, and tests fail
/// when one of them handles another set of fields than <see cref="All"/>.
/// </summary>
public static class StateFields
{
    public const string ThreadId = "thread_id";
    public const string UserMessage = "user_message";
    public const string BotMessage = "bot_message";
    public const string Nlu = "nlu";
    public const string Context = "context";
    public const string Intent = "intent";
    public const string Parameters = "parameters";
    public const string ExtractedParameters = "extracted_parameters";
    public const string MissingParameters = "missing_parameters";
    public const string Complete = "complete";
    public const string CurrentNode = "current_node";
    public const string Date = "date";

    /// <summary>Every field, in <c>to_dict</c> order.</summary>
    public static IReadOnlyList<string> All { get; } =
        [ThreadId, UserMessage, BotMessage, Nlu, Context, Intent, Parameters, ExtractedParameters, MissingParameters, Complete, CurrentNode, Date];

    /// <summary>The fields of <c>user_message</c>.</summary>
    public static class Message
    {
        public const string ThreadId = "thread_id";
        public const string Text = "text";
        public const string Channel = "channel";
        public const string Context = "context";

        /// <summary>Every field of <c>user_message</c>, in <c>to_dict</c> order.</summary>
        public static IReadOnlyList<string> All { get; } = [ThreadId, Text, Channel, Context];
    }
}
