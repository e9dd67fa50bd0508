using Orleans.Storage;

namespace BotStateCluster.Silo.Storage;

/// <summary>
/// The stock ADO.NET grain storage behind a <see cref="StorageGuard"/>: reads (also those that activate a
/// grain), writes and clears get the guard's deadline and exceptions a client can receive.
/// </summary>
/// <remarks>
/// The provider works on a copy of the grain's state, copied back only on success: an operation abandoned at the
/// deadline may still finish, and must then not change the ETag of an activation that has moved on.
/// </remarks>
internal sealed class GuardedGrainStorage(IGrainStorage inner, StorageGuard guard) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        RunAsync("read", grainState, copy => inner.ReadStateAsync(stateName, grainId, copy), copyState: true);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        RunAsync("write", grainState, copy => inner.WriteStateAsync(stateName, grainId, copy), copyState: false);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        RunAsync("clear", grainState, copy => inner.ClearStateAsync(stateName, grainId, copy), copyState: true);

    // The provider reads its query texts at silo start-up.
    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    public void Dispose() => (inner as IDisposable)?.Dispose();

    private async Task RunAsync<T>(string operation, IGrainState<T> grainState, Func<IGrainState<T>, Task> action, bool copyState)
    {
        var copy = new GrainState<T>(grainState.State, grainState.ETag) { RecordExists = grainState.RecordExists };
        await guard.RunAsync(operation, () => action(copy));
        if (copyState)
        {
            grainState.State = copy.State;
        }

        grainState.ETag = copy.ETag;
        grainState.RecordExists = copy.RecordExists;
    }
}
