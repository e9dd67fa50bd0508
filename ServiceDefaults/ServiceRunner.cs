using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace BotStateCluster.ServiceDefaults;

/// <summary>
/// Runs a process so that bad configuration, or surroundings it cannot start in (a database that refuses it,
/// a port in use), end it with one clear line (exit code 2) instead of a stack trace.
/// </summary>
public static class ServiceRunner
{
    /// <summary>Exit code of a process stopped by its configuration or its surroundings at start-up.</summary>
    public const int ConfigurationExitCode = 2;

    /// <summary>
    /// Runs <paramref name="run"/> and maps configuration and start-up failures to one line on standard error;
    /// anything else (a bug) propagates with its stack trace.
    /// </summary>
    public static async Task<int> RunAsync(Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (Exception exception) when (ConfigurationProblem(exception) is { } problem)
        {
            await Console.Error.WriteLineAsync($"configuration error: {problem}");
            return ConfigurationExitCode;
        }
        catch (Exception exception) when (StartupProblem(exception) is { } problem)
        {
            await Console.Error.WriteLineAsync($"start-up error: {problem}");
            return ConfigurationExitCode;
        }
    }

    private static string? StartupProblem(Exception exception) => exception switch
    {
        StartupError error => error.Message,
        // Kestrel's own message names the address: "Failed to bind to address http://…: address already in use."
        IOException { InnerException: AddressInUseException } bind => bind.Message,
        AddressInUseException inUse => $"a listening port is already in use ({inUse.Message}).",
        SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } socket => $"a listening port is already in use ({socket.Message}).",
        _ when DatabaseFailure.Classify(exception) is { } kind => DatabaseFailure.Describe(kind, exception) + ".",
        AggregateException aggregate => aggregate.InnerExceptions.Select(StartupProblem).FirstOrDefault(problem => problem is not null),
        { InnerException: { } inner } => StartupProblem(inner),
        _ => null,
    };

    private static string? ConfigurationProblem(Exception exception) => exception switch
    {
        ConfigurationError error => error.Message,
        OptionsValidationException validation => string.Join(" ", validation.Failures),
        // The binder's own message names the variable and the expected type.
        InvalidOperationException { Message: var message } when message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => message,
        AggregateException aggregate => aggregate.InnerExceptions.Select(ConfigurationProblem).FirstOrDefault(problem => problem is not null),
        { InnerException: { } inner } => ConfigurationProblem(inner),
        _ => null,
    };
}
