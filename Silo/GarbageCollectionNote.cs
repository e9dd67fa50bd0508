using System.Runtime;

namespace BotStateCluster.Silo;

/// <summary>
/// Orleans warns at start-up when server GC is off ("Silo not running with ServerGC turned on"). It is off on purpose
/// (ServiceDefaults/ServiceRuntime.props says why), so the silo says so in one line just before Orleans' note.
/// </summary>
internal static partial class GarbageCollectionNote
{
    public static void LogIfWorkstation(ILogger logger)
    {
        if (!GCSettings.IsServerGC)
        {
            LogWorkstation(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Workstation GC on purpose: on a few cores it costs less per request than server GC (ServiceDefaults/ServiceRuntime.props); Orleans' note about ServerGC that follows needs no action")]
    private static partial void LogWorkstation(ILogger logger);
}
