namespace BotStateCluster.Api;

/// <summary>
/// When the process serving the API next sees the cluster change: for the gateway, a lost connection to a silo; for a
/// silo, a member whose status changed. A silo that leaves is gone from every route once this process saw it go.
/// </summary>
public interface IClusterChangeSignal
{
    /// <summary>Completes at the first change after it was read.</summary>
    Task NextChange { get; }
}
