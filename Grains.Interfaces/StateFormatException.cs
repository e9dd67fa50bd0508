namespace BotStateCluster;

/// <summary>
/// A state or message sent by a client does not follow the JSON contract; the message says which
/// field and why, and is meant for the client (an HTTP 400).
/// </summary>
public sealed class StateFormatException(string message) : Exception(message);
