using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace BotStateCluster.ServiceDefaults;

/// <summary>The database every process uses (environment: <c>DB_URL</c>, <c>DB_POOL_SIZE</c>).</summary>
public sealed class DatabaseOptions
{
    /// <summary>The database URL; blank means the embedded default.</summary>
    [ConfigurationKeyName("DB_URL")]
    public string? Url { get; set; }

    /// <summary>Most connections one process opens.</summary>
    [ConfigurationKeyName("DB_POOL_SIZE")]
    public int PoolSize { get; set; } = 10;

    /// <summary>The parsed target.</summary>
    /// <exception cref="ConfigurationError">The URL cannot be used.</exception>
    public DatabaseTarget Target => DatabaseUrl.Parse(Url, PoolSize);
}

internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (options.PoolSize is < 1 or > 1000)
        {
            return ValidateOptionsResult.Fail($"DB_POOL_SIZE must be between 1 and 1000, not {options.PoolSize}.");
        }

        try
        {
            _ = options.Target;
            return ValidateOptionsResult.Success;
        }
        catch (ConfigurationError error)
        {
            return ValidateOptionsResult.Fail(error.Message);
        }
    }
}
