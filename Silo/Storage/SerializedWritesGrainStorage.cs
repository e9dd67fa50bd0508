using Orleans.Storage;

namespace BotStateCluster.Silo.Storage;

/// <summary>
/// Lets one write at a time reach an SQLite file from this silo. SQLite takes a single writer anyway;
/// when many grains write at once, all but one get SQLITE_BUSY and the driver retries them after a fixed
/// sleep, which turned 32 concurrent turns into a p99 of more than half a second. Waiting here instead
/// hands the file over as soon as the previous write commits. Reads pass straight through (WAL lets them
/// run beside a writer), and every write is still committed before it returns.
/// </summary>
internal sealed class SerializedWritesGrainStorage(IGrainStorage inner) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly SemaphoreSlim _writer = new(1, 1);

    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        OneAtATimeAsync(() => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        OneAtATimeAsync(() => inner.ClearStateAsync(stateName, grainId, grainState));

    public void Dispose() => _writer.Dispose();

    private async Task OneAtATimeAsync(Func<Task> write)
    {
        await _writer.WaitAsync();
        try
        {
            await write();
        }
        finally
        {
            _writer.Release();
        }
    }
}
