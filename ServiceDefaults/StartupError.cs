namespace BotStateCluster.ServiceDefaults;

/// <summary>
/// The process cannot start because of its surroundings (a database that refuses it or never came up, a port
/// in use); the message says what and is safe to log.
/// </summary>
public sealed class StartupError(string message, Exception? innerException = null) : Exception(message, innerException);
