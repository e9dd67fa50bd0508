namespace BotStateCluster;

/// <summary>Forking a conversation: two grain calls, composed where a client can make them.</summary>
public static partial class StateGrainFactoryExtensions
{
    /// <summary>
    /// Starts the conversation <paramref name="to"/> of <paramref name="from"/>'s tenant from <paramref name="from"/>'s
    /// snapshot of <paramref name="version"/>, or from its current state when no version is given, when
    /// <paramref name="condition"/> holds for <paramref name="from"/>'s current version.
    /// </summary>
    /// <remarks>
    /// The source is read, then the new conversation written, by two calls made from here rather than one grain calling
    /// the other: a grain takes one call at a time, so two forks in opposite directions would each hold their source
    /// while waiting for the other.
    /// </remarks>
    /// <returns>
    /// <see cref="WriteStatus.Created"/> with the new conversation's state; <see cref="WriteStatus.PreconditionFailed"/>
    /// with the source's; <see cref="WriteStatus.NotFound"/> when the source has no state;
    /// <see cref="WriteStatus.VersionNotKept"/> with the oldest kept version; <see cref="WriteStatus.AlreadyExists"/> when
    /// <paramref name="to"/> has a state.
    /// </returns>
    public static async Task<WriteResult> ForkAsync(
        this IGrainFactory grains, ConversationKey from, UserId to, int? version, VersionCondition condition, CancellationToken cancellationToken = default)
    {
        var source = grains.GetStateGrain(from);
        var current = await source.GetAsync(cancellationToken);
        if (!condition.IsMetBy(current?.Version))
        {
            return new WriteResult(WriteStatus.PreconditionFailed, current);
        }

        if (current is null)
        {
            return new WriteResult(WriteStatus.NotFound, null);
        }

        var state = current.State;
        if (version is { } wanted && wanted != current.Version)
        {
            var lookup = await source.GetVersionAsync(wanted, cancellationToken);
            if (lookup.Snapshot is null)
            {
                return new WriteResult(WriteStatus.VersionNotKept, null, OldestKeptVersion: lookup.OldestKeptVersion);
            }

            state = lookup.Snapshot.State;
        }

        return await grains.GetStateGrain(from.Tenant, to).StartForkAsync(state, cancellationToken);
    }
}
