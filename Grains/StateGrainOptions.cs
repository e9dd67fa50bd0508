namespace BotStateCluster.Grains;

/// <summary>Settings of the state grains (environment: <c>HISTORY_LIMIT</c>, <c>STATE_TTL</c>, <c>CHANGES_ENABLED</c>).</summary>
public sealed class StateGrainOptions
{
    /// <summary>The grain storage provider the state grains persist through.</summary>
    public const string StorageName = "states";

    /// <summary>The state name the provider passes to the queries as <c>@GrainTypeString</c>.</summary>
    public const string StateName = "state";

    /// <summary>Snapshots kept per user; 0 keeps none.</summary>
    public int HistoryLimit { get; set; } = 100;

    /// <summary>A conversation not updated for this long counts as erased; null keeps it forever.</summary>
    public TimeSpan? StateTimeToLive { get; set; }

    /// <summary>Whether each write records its event in the change feed.</summary>
    public bool ChangesEnabled { get; set; } = true;
}
