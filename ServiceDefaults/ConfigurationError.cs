namespace BotStateCluster.ServiceDefaults;

/// <summary>A setting is missing or wrong; the message names the environment variable and is safe to log.</summary>
public sealed class ConfigurationError(string message) : Exception(message);
