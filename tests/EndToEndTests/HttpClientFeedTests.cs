using BotStateCluster.Client.Http;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// Time travel and the change feed through the .NET HTTP client, against the same real processes as the rest of
/// <see cref="HttpClientTests"/>: restore and fork with their 404, 409 and 412, one snapshot, and readers that resume.
/// </summary>
public sealed partial class HttpClientTests
{
    // How long a change may take to reach a reader before the test calls it lost.
    private static readonly TimeSpan FeedDeadline = TimeSpan.FromSeconds(30);

    // How long a reader asks the service to hold a long poll that has nothing new yet.
    private static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(5);

    [Theory]
    [MemberData(nameof(BothShapes))]
    public async Task ASnapshotOfOneVersionIsTheStateItHadAndAVersionNotKeptIsNull(ServiceKind shape)
    {
        var client = services.Client(shape);
        var user = await ConversationOfThreeTurnsAsync(client);

        var snapshot = await client.GetSnapshotAsync(user, 2);

        Assert.Equal((2, "two"), (snapshot!.Version, snapshot.State.UserMessage!.Text));
        Assert.Null(await client.GetSnapshotAsync(user, 99));
    }

    [Theory]
    [MemberData(nameof(BothShapes))]
    public async Task RestoreMakesAnOldVersionCurrentAsANewOneAndHonoursIfMatch(ServiceKind shape)
    {
        var client = services.Client(shape);
        var user = await ConversationOfThreeTurnsAsync(client);

        var restored = await client.RestoreStateAsync(user, 1, ifMatch: 3);
        var stale = await Assert.ThrowsAsync<BotStateProblemException>(() => client.RestoreStateAsync(user, 2, ifMatch: 3));
        var notKept = await Assert.ThrowsAsync<BotStateProblemException>(() => client.RestoreStateAsync(user, 99));

        Assert.Equal((4, "one"), (restored.Version, restored.State.UserMessage!.Text));
        Assert.Equal(4, (await client.GetStateAsync(user))!.Version);
        Assert.Equal(ProblemKind.PreconditionFailed, stale.Kind);
        Assert.Equal(ProblemKind.NotFound, notKept.Kind);
    }

    [Theory]
    [MemberData(nameof(BothShapes))]
    public async Task ForkStartsANewConversationOnceAndHonoursIfMatch(ServiceKind shape)
    {
        var client = services.Client(shape);
        var user = await ConversationOfThreeTurnsAsync(client);
        var to = ApiClient.NewUserId("http-fork");

        var forked = await client.ForkStateAsync(user, to, version: 2, ifMatch: 3);
        var taken = await Assert.ThrowsAsync<BotStateProblemException>(() => client.ForkStateAsync(user, to));
        var stale = await Assert.ThrowsAsync<BotStateProblemException>(() => client.ForkStateAsync(user, ApiClient.NewUserId("http-fork"), ifMatch: 1));
        var missing = await Assert.ThrowsAsync<BotStateProblemException>(() => client.ForkStateAsync(ApiClient.NewUserId("nobody"), ApiClient.NewUserId("http-fork")));

        Assert.Equal("two", forked.State.UserMessage!.Text);
        Assert.Equal(forked.Version, (await client.GetStateAsync(to))!.Version);
        Assert.Equal(3, (await client.GetStateAsync(user))!.Version);
        Assert.Equal((ProblemKind.AlreadyExists, 409), (taken.Kind, (int)taken.Status));
        Assert.Equal(ProblemKind.PreconditionFailed, stale.Kind);
        Assert.Equal(ProblemKind.NotFound, missing.Kind);
    }

    [Theory]
    [MemberData(nameof(BothShapes))]
    public async Task ChangesYieldsLaterTurnsAndANewReaderResumesFromASavedCursor(ServiceKind shape)
    {
        var (client, user, start) = await NewUserAtFeedEndAsync(shape, "http-feed");

        // Reading starts before the turns are written: the long poll has to wake up for them.
        var reading = EventsOfAsync(client.ChangesAsync(start, LongPoll), user, change => change.Version == 3);
        await TurnsAsync(client, user, "a", "b", "c");
        var first = await reading;
        await TurnsAsync(client, user, "d", "e");
        var resumed = await EventsOfAsync(client.ChangesAsync(first[1].Cursor, LongPoll), user, change => change.Version == 5);

        Assert.Equal([(1, "created"), (2, "updated"), (3, "updated")], first.Select(change => (change.Version, change.Kind)));
        Assert.Equal([3, 4, 5], resumed.Select(change => change.Version));
    }

    [Theory]
    [MemberData(nameof(BothShapes))]
    public async Task TheStreamResumesFromASavedCursorAndReportsAnErasure(ServiceKind shape)
    {
        var (client, user, start) = await NewUserAtFeedEndAsync(shape, "http-stream");

        var reading = EventsOfAsync(client.GetChangeStreamAsync(start), user, change => change.Version == 2);
        await TurnsAsync(client, user, "a", "b");
        var first = await reading;
        await client.DeleteStateAsync(user);
        var resumed = await EventsOfAsync(client.GetChangeStreamAsync(first[0].Cursor), user, change => change.Kind == "erased");

        Assert.Equal([(2, "updated"), (resumed[1].Version, "erased")], resumed.Select(change => (change.Version, change.Kind)));
        Assert.Equal("deleted", resumed[1].Reason);
        Assert.Null(resumed[1].State);
    }

    [Theory]
    [MemberData(nameof(BothShapes))]
    public async Task FailedDeliveriesAreListedAndAnEventThatDidNotFailIsNotRetried(ServiceKind shape)
    {
        var (client, user, start) = await NewUserAtFeedEndAsync(shape, "http-delivered");
        await client.PostMessageAsync(user, new Message("hi"));
        var delivered = (await EventsOfAsync(client.ChangesAsync(start, LongPoll), user, _ => true)).Single();

        var failed = await client.GetFailedDeliveriesAsync(limit: 10);

        Assert.True(failed.Count <= 10);
        Assert.All(failed, item => Assert.False(string.IsNullOrEmpty(item.Id)));
        Assert.Equal(0, await client.RetryFailedDeliveriesAsync([delivered.Cursor]));
    }

    private static async Task<string> ConversationOfThreeTurnsAsync(BotStateHttpClient client)
    {
        var user = ApiClient.NewUserId("http-travel");
        await TurnsAsync(client, user, "one", "two", "three");
        return user;
    }

    // A client of the shape, a user of its own, and the cursor after the last event the tenant has now (other tests write
    // to the same tenant): a reader from there sees what the test writes next.
    private async Task<(BotStateHttpClient Client, string User, string? Start)> NewUserAtFeedEndAsync(ServiceKind shape, string purpose)
    {
        var client = services.Client(shape);
        return (client, ApiClient.NewUserId(purpose), await FeedEndAsync(client));
    }

    private static async Task<string?> FeedEndAsync(BotStateHttpClient client)
    {
        string? cursor = null;
        while (true)
        {
            var page = await client.GetChangesAsync(cursor, pageSize: 1000);
            if (page.Items.Count == 0)
            {
                return cursor;
            }

            cursor = page.Items[^1].Cursor;
        }
    }

    // The events of one user a reader yields, up to the first that `last` accepts; the reader is cancelled at the deadline.
    private static async Task<List<Client.Http.ChangeEvent>> EventsOfAsync(IAsyncEnumerable<Client.Http.ChangeEvent> changes, string user, Func<Client.Http.ChangeEvent, bool> last)
    {
        using var deadline = new CancellationTokenSource(FeedDeadline);
        var seen = new List<Client.Http.ChangeEvent>();
        await foreach (var change in changes.WithCancellation(deadline.Token))
        {
            if (change.ThreadId == user)
            {
                seen.Add(change);
                if (last(change))
                {
                    return seen;
                }
            }
        }

        return seen;
    }
}
