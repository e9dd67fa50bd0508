namespace BotStateCluster.Grains;

/// <summary>A row of <c>state_history</c> as stored: its state is the JSON text of <c>states.state</c> at that version, sealed when encryption is on.</summary>
public sealed record StoredSnapshot(int Version, DateTimeOffset SavedAt, string State);
