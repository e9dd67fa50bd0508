namespace BotStateCluster.EndToEndTests;

/// <summary>
/// Both processes finish socket operations on the runtime's polling threads (<c>ServiceDefaults/SocketCompletions.cs</c>).
/// The runtime then polls with one thread per core instead of one per 30 cores, so counting those threads shows
/// that the switch was set before the first socket was made.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class SocketCompletionTests(ServiceFixture services)
{
    // The name the runtime gives its socket polling threads, as Linux shows it in /proc.
    private const string PollingThreadName = ".NET Sockets";

    [Theory]
    [MemberData(nameof(ServiceFixture.BothKinds), MemberType = typeof(ServiceFixture))]
    public void EachProcessPollsItsSocketsWithOneThreadPerCore(ServiceKind kind)
    {
        Assert.Equal(Environment.ProcessorCount, ThreadsNamed(services.Process(kind).Id, PollingThreadName));
    }

    private static int ThreadsNamed(int processId, string name) =>
        Directory.EnumerateDirectories($"/proc/{processId}/task").Count(thread =>
        {
            try
            {
                return File.ReadAllText(Path.Combine(thread, "comm")).TrimEnd('\n') == name;
            }
            catch (IOException)
            {
                // The thread ended between the listing and the read.
                return false;
            }
        });
}
