using BotStateCluster.IntegrationTests.Support;

namespace BotStateCluster.IntegrationTests.Changes;

/// <summary>
/// Restore and fork through the grains on a real backend: each is a new version with its own event, and each refusal
/// (no state, a snapshot not kept, a stale version, a fork onto a conversation that exists) changes nothing.
/// </summary>
public abstract class TimeTravelSemantics(StateCluster cluster)
{
    private static string NewUserId(string purpose) => $"{purpose}-{Guid.NewGuid():N}";

    private async Task<IStateGrain> ConversationWithTurnsAsync(string user, int turns)
    {
        var grain = cluster.Grain(user);
        for (var turn = 1; turn <= turns; turn++)
        {
            await grain.ProcessMessageAsync(new IncomingMessage($"turn {turn}"), VersionCondition.None);
        }

        return grain;
    }

    [Fact]
    public async Task ARestoreStoresTheSnapshotsStateAsANewVersionWithARestoredEvent()
    {
        var user = NewUserId("restore");
        var grain = await ConversationWithTurnsAsync(user, 3);
        var second = (await grain.GetVersionAsync(2)).Snapshot!;

        var restored = await grain.RestoreAsync(2, VersionCondition.OneOf(3));

        Assert.Equal(WriteStatus.Updated, restored.Status);
        Assert.Equal(4, restored.Current!.Version);
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(StateJson.ToJson(second.State), StateJson.ToJson(restored.Current.State)));
        Assert.Equal("turn 2", (await grain.GetAsync())!.State.UserMessage!.Text);
        var last = (await cluster.EventsOfAsync(user))[^1];
        Assert.Equal((ChangeKinds.Restored, 4), (last.Kind, last.Version));
        Assert.Contains("\"turn 2\"", last.StateJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARestoreThatCannotBeDoneChangesNothing()
    {
        var user = NewUserId("unrestorable");
        var grain = await ConversationWithTurnsAsync(user, StateCluster.HistoryLimit + 2);
        var before = await cluster.EventsOfAsync(user);

        var stale = await grain.RestoreAsync(4, VersionCondition.OneOf(1));
        var trimmed = await grain.RestoreAsync(1, VersionCondition.None);
        var missing = await cluster.Grain(NewUserId("nobody")).RestoreAsync(1, VersionCondition.None);
        var missingVersion = await cluster.Grain(NewUserId("nobody")).GetVersionAsync(1);

        Assert.Equal((WriteStatus.PreconditionFailed, 7), (stale.Status, stale.Current!.Version));
        Assert.Equal((WriteStatus.VersionNotKept, 3), (trimmed.Status, trimmed.OldestKeptVersion));
        Assert.Equal((3, (int?)null), ((await grain.GetVersionAsync(1)).OldestKeptVersion, (await grain.GetVersionAsync(3)).OldestKeptVersion));
        Assert.Equal(WriteStatus.NotFound, missing.Status);
        Assert.Equal(new SnapshotLookup(null, null), missingVersion);
        Assert.Equal(7, (await grain.GetAsync())!.Version);
        Assert.Equal(before, await cluster.EventsOfAsync(user));
    }

    [Fact]
    public async Task AForkStartsANewConversationFromASnapshotOrTheCurrentStateWithAForkedEvent()
    {
        var (source, fromCurrent, fromSnapshot) = (NewUserId("source"), NewUserId("copy"), NewUserId("old-copy"));
        await ConversationWithTurnsAsync(source, 3);
        var key = new ConversationKey(TenantId.Default, UserId.Parse(source));

        var current = await cluster.Cluster.Client.ForkAsync(key, UserId.Parse(fromCurrent), null, VersionCondition.OneOf(3));
        var snapshot = await cluster.Cluster.Client.ForkAsync(key, UserId.Parse(fromSnapshot), 1, VersionCondition.None);

        Assert.Equal((WriteStatus.Created, 1), (current.Status, current.Current!.Version));
        Assert.Equal((fromCurrent, fromCurrent, "turn 3"), (current.Current.State.ThreadId, current.Current.State.UserMessage!.ThreadId, current.Current.State.UserMessage.Text));
        Assert.Equal("turn 1", snapshot.Current!.State.UserMessage!.Text);
        Assert.Equal(fromSnapshot, (await cluster.Grain(fromSnapshot).GetAsync())!.State.ThreadId);
        Assert.Equal([(ChangeKinds.Forked, 1)], (await cluster.EventsOfAsync(fromCurrent)).Select(change => (change.Kind, change.Version)));
        Assert.Equal([(ChangeKinds.Forked, 1)], (await cluster.EventsOfAsync(fromSnapshot)).Select(change => (change.Kind, change.Version)));
        Assert.Equal(3, (await cluster.Grain(source).GetAsync())!.Version);
    }

    [Fact]
    public async Task AForkOntoAConversationThatExistsIsRefusedAndOntoAnErasedOneGoesOnCounting()
    {
        var (source, taken, erased) = (NewUserId("source"), NewUserId("taken"), NewUserId("erased"));
        await ConversationWithTurnsAsync(source, 2);
        await ConversationWithTurnsAsync(taken, 1);
        await ConversationWithTurnsAsync(erased, 2);
        await cluster.Grain(erased).DeleteAsync(VersionCondition.None);
        var key = new ConversationKey(TenantId.Default, UserId.Parse(source));

        var onTaken = await cluster.Cluster.Client.ForkAsync(key, UserId.Parse(taken), null, VersionCondition.None);
        var onItself = await cluster.Cluster.Client.ForkAsync(key, UserId.Parse(source), null, VersionCondition.None);
        var stale = await cluster.Cluster.Client.ForkAsync(key, UserId.Parse(NewUserId("never")), null, VersionCondition.OneOf(1));
        var fromNothing = await cluster.Cluster.Client.ForkAsync(new ConversationKey(TenantId.Default, UserId.Parse(NewUserId("nothing"))), UserId.Parse(NewUserId("never")), null, VersionCondition.None);
        var onErased = await cluster.Cluster.Client.ForkAsync(key, UserId.Parse(erased), 1, VersionCondition.None);

        Assert.Equal(WriteStatus.AlreadyExists, onTaken.Status);
        Assert.Equal(WriteStatus.AlreadyExists, onItself.Status);
        Assert.Equal(WriteStatus.PreconditionFailed, stale.Status);
        Assert.Equal(WriteStatus.NotFound, fromNothing.Status);
        Assert.Equal(1, (await cluster.Grain(taken).GetAsync())!.Version);
        Assert.Equal((WriteStatus.Created, 4), (onErased.Status, onErased.Current!.Version));
        Assert.Equal([ChangeKinds.Created, ChangeKinds.Updated, ChangeKinds.Erased, ChangeKinds.Forked], (await cluster.EventsOfAsync(erased)).Select(change => change.Kind));
    }
}

[Collection(SqliteCluster.Name)]
public sealed class SqliteTimeTravelTests(SqliteClusterFixture fixture) : TimeTravelSemantics(fixture.Cluster);

[Collection(PostgreSqlFeedCluster.Name)]
public sealed class PostgreSqlTimeTravelTests(PostgreSqlClusterFixture fixture) : TimeTravelSemantics(fixture.Cluster);
