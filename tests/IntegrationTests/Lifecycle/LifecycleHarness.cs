using System.Text.Json.Nodes;
using BotStateCluster.IntegrationTests.Support;
using BotStateCluster.Silo.Retention;
using BotStateCluster.Silo.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace BotStateCluster.IntegrationTests.Lifecycle;

/// <summary>The silo's retention sweep and conversation index, run by the test against a test cluster's database and grains.</summary>
public static class LifecycleHarness
{
    internal static IOptions<ClusterOptions> ClusterOptionsOf(StateCluster cluster) =>
        Options.Create(new ClusterOptions { ServiceId = cluster.Cluster.Options.ServiceId, ClusterId = cluster.Cluster.Options.ClusterId });

    internal static RetentionSweep Sweep(StateCluster cluster, RetentionOptions options, TimeProvider clock) => new(
        cluster.Cluster.Client,
        new RetentionStore(cluster.Backend.Target, ClusterOptionsOf(cluster)),
        new SweepLock(cluster.Backend.Target, ClusterOptionsOf(cluster)),
        Options.Create(options),
        clock,
        NullLogger<RetentionSweep>.Instance);

    /// <summary>A state of <paramref name="userId"/> dated <paramref name="date"/>, with extra fields.</summary>
    public static ConversationState State(string userId, DateTimeOffset date, JsonObject? fields = null)
    {
        var json = fields?.DeepClone().AsObject() ?? [];
        json["thread_id"] = userId;
        json["date"] = PythonDate.Format(date);
        return StateJson.FromJson(json, userId, date);
    }

    /// <summary>How many rows of every table that holds user ids name <paramref name="userId"/>.</summary>
    public static async Task<long> RowsNamingAsync(StateCluster cluster, string userId) =>
        await Sql.CountAsync(cluster.Backend.Target, "SELECT COUNT(*) FROM states WHERE user_id = @u", ("u", userId))
        + await Sql.CountAsync(cluster.Backend.Target, "SELECT COUNT(*) FROM state_history WHERE user_id = @u", ("u", userId))
        + await Sql.CountAsync(cluster.Backend.Target, "SELECT COUNT(*) FROM changes WHERE user_id = @u", ("u", userId))
        + await Sql.CountAsync(cluster.Backend.Target, "SELECT COUNT(*) FROM webhook_failures WHERE user_id = @u", ("u", userId));
}
