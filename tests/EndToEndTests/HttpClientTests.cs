using System.Text.Json.Nodes;
using BotStateCluster.Client.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// The .NET HTTP client (BotStateCluster.Client.Http) against real processes, in both shapes: through the gateway and
/// through a silo serving the API itself (<c>SILO_API_ENABLED</c>). Every operation, as a service would call it.
/// </summary>
public sealed partial class HttpClientTests(HttpClientTests.Services services) : IClassFixture<HttpClientTests.Services>
{
    public static TheoryData<ServiceKind> BothShapes => ServiceFixture.BothKinds;

    [Theory]
    [MemberData(nameof(BothShapes))]
    public async Task ATurnCreatesTheStateAndEveryAnswerCarriesItsVersion(ServiceKind shape)
    {
        var client = services.Client(shape);
        var user = ApiClient.NewUserId("http-client");

        var first = await client.PostMessageAsync(user, new Message("hello", new JsonObject { ["locale"] = "en" }, "web"));
        var second = await client.PostMessageAsync(user, new Message("again"));
        var read = await client.GetStateAsync(user);

        Assert.Equal((1, 2, 2), (first.Version, second.Version, read!.Version));
        Assert.Equal("hello", first.State.UserMessage!.Text);
        Assert.Equal("web", first.State.UserMessage.Channel);
        Assert.Equal("en", read.State.Context["locale"]!.GetValue<string>());
        Assert.Equal("again", read.State.UserMessage!.Text);
        Assert.Null(await client.GetStateAsync(ApiClient.NewUserId("nobody")));
    }

    [Theory]
    [MemberData(nameof(BothShapes))]
    public async Task ATurnRepeatedWithItsIdempotencyKeyIsReplayedNotAppliedTwice(ServiceKind shape)
    {
        var client = services.Client(shape);
        var user = ApiClient.NewUserId("http-replay");
        var key = Guid.NewGuid().ToString("N");

        var first = await client.PostMessageAsync(user, new Message("once"), key);
        var again = await client.PostMessageAsync(user, new Message("once"), key);
        var reused = await Assert.ThrowsAsync<BotStateProblemException>(() => client.PostMessageAsync(user, new Message("different"), key));

        Assert.False(first.Replayed);
        Assert.True(again.Replayed);
        Assert.Equal(first.Version, again.Version);
        Assert.Equal(ProblemKind.IdempotencyKeyReused, reused.Kind);
        Assert.Equal(1, (await client.GetStateAsync(user))!.Version);
    }

    [Theory]
    [MemberData(nameof(BothShapes))]
    public async Task APutRoundTripsTheStateAndHonoursItsConditions(ServiceKind shape)
    {
        var client = services.Client(shape);
        var user = ApiClient.NewUserId("http-put");
        var turn = await client.PostMessageAsync(user, new Message("to Paris", new JsonObject { ["city"] = "Paris" }));

        var state = turn.State;
        state.Intent = new JsonObject { ["id"] = "book_flight" };
        state.CurrentNode = "date";
        state.MissingParameters = ["date"];
        var replaced = await client.PutStateAsync(user, state, ifMatch: turn.Version);
        var stale = await Assert.ThrowsAsync<BotStateProblemException>(() => client.PutStateAsync(user, state, ifMatch: turn.Version));
        var exists = await Assert.ThrowsAsync<BotStateProblemException>(() => client.PutStateAsync(user, state, createOnly: true));
        var read = await client.GetStateAsync(user);

        Assert.Equal(2, replaced.Version);
        Assert.Equal(replaced.State.Date, turn.State.Date);
        Assert.Equal(("date", "book_flight", "to Paris"), (read!.State.CurrentNode, read.State.Intent!["id"]!.GetValue<string>(), read.State.UserMessage!.Text));
        Assert.Equal(["date"], read.State.MissingParameters);
        Assert.Equal((ProblemKind.PreconditionFailed, "urn:botstate:problem:precondition-failed"), (stale.Kind, stale.Type));
        Assert.Equal(System.Net.HttpStatusCode.PreconditionFailed, exists.Status);
        Assert.False(string.IsNullOrEmpty(stale.Detail));
    }

    [Theory]
    [MemberData(nameof(BothShapes))]
    public async Task DeleteForgetsAndHonoursIfMatch(ServiceKind shape)
    {
        var client = services.Client(shape);
        var user = ApiClient.NewUserId("http-delete");
        var turn = await client.PostMessageAsync(user, new Message("hi"));

        var stale = await Assert.ThrowsAsync<BotStateProblemException>(() => client.DeleteStateAsync(user, ifMatch: turn.Version + 1));
        await client.DeleteStateAsync(user, ifMatch: turn.Version);
        await client.DeleteStateAsync(user);

        Assert.Equal(ProblemKind.PreconditionFailed, stale.Kind);
        Assert.Null(await client.GetStateAsync(user));
    }

    [Theory]
    [MemberData(nameof(BothShapes))]
    public async Task HistoryWalksEverySnapshotAcrossPagesAndTheActiveIntentIsRead(ServiceKind shape)
    {
        var client = services.Client(shape);
        var user = ApiClient.NewUserId("http-history");
        await TurnsAsync(client, user, "one", "two", "three");

        var state = (await client.GetStateAsync(user))!.State;
        state.Intent = new JsonObject { ["id"] = "greet" };
        await client.PutStateAsync(user, state);

        var history = await client.GetHistoryAsync(user, pageSize: 2).ToListAsync();

        Assert.Equal([4, 3, 2, 1], history.Select(entry => entry.Version));
        Assert.Equal(["three", "three", "two", "one"], history.Select(entry => entry.State.UserMessage!.Text));
        // Fully named: BotStateCluster.ActiveIntent (the grain contract's) is nearer in scope.
        Assert.Equal(new Client.Http.ActiveIntent(user, "greet"), await client.GetActiveIntentAsync(user));
        Assert.Null(await client.GetActiveIntentAsync(ApiClient.NewUserId("nobody")));
    }

    [Theory]
    [MemberData(nameof(BothShapes))]
    public async Task ListingFiltersAndWalksEveryPage(ServiceKind shape)
    {
        var client = services.Client(shape);
        var node = $"node-{Guid.NewGuid():N}";
        var users = Enumerable.Range(0, 3).Select(_ => ApiClient.NewUserId("http-list")).ToList();
        foreach (var user in users)
        {
            await client.PutStateAsync(user, new BotState { CurrentNode = node });
        }

        var listed = await client.ListStatesAsync(new ListStatesQuery(PageSize: 2, CurrentNode: node)).ToListAsync();
        var later = await client.ListStatesAsync(new ListStatesQuery(UpdatedAfter: DateTimeOffset.UtcNow.AddHours(1), CurrentNode: node)).ToListAsync();
        var bad = await Assert.ThrowsAsync<BotStateProblemException>(() => client.ListStatesAsync(new ListStatesQuery(PageSize: 0)).ToListAsync().AsTask());

        Assert.Equal(Enumerable.Reverse(users), listed.Select(item => item.ThreadId));
        Assert.All(listed, item => Assert.Equal((1, node), (item.Version, item.CurrentNode)));
        Assert.Empty(later);
        Assert.Equal(ProblemKind.BadRequest, bad.Kind);
    }

    [Theory]
    [MemberData(nameof(BothShapes))]
    public async Task ExportStreamsTheStateThenEverySnapshotAndErasureReportsEachUser(ServiceKind shape)
    {
        var client = services.Client(shape);
        var (user, other, missing) = (ApiClient.NewUserId("http-export"), ApiClient.NewUserId("http-export"), ApiClient.NewUserId("missing"));
        await client.PostMessageAsync(user, new Message("one"));
        await client.PostMessageAsync(user, new Message("two"));
        await client.PostMessageAsync(other, new Message("hi"));

        var lines = await client.ExportStateAsync(user).ToListAsync();
        var erased = await client.PostErasuresAsync([user, missing]);
        var gone = await Assert.ThrowsAsync<BotStateProblemException>(() => client.ExportStateAsync(user).ToListAsync().AsTask());

        Assert.Equal([("state", 2), ("snapshot", 2), ("snapshot", 1)], lines.Select(line => (line.Kind, line.Version)));
        Assert.Equal("two", lines[0].State.UserMessage!.Text);
        Assert.NotNull(lines[1].SavedAt);
        Assert.Equal([user], erased.Erased);
        Assert.Equal([missing], erased.NotFound);
        Assert.Empty(erased.Failed);
        Assert.Equal(ProblemKind.NotFound, gone.Kind);
        Assert.NotNull(await client.GetStateAsync(other));
    }

    [Fact]
    public async Task WithoutTheKeyASecuredGatewayAnswersUnauthorizedAndWithItServes()
    {
        var gateway = await services.SecuredGatewayAsync();
        var user = ApiClient.NewUserId("http-key");

        var refused = await Assert.ThrowsAsync<BotStateProblemException>(() => services.Client(gateway.BaseAddress, apiKey: null).GetStateAsync(user));
        var turn = await services.Client(gateway.BaseAddress, ServiceFixture.ApiKey).PostMessageAsync(user, new Message("hi"));

        Assert.Equal((ProblemKind.Unauthorized, "urn:botstate:problem:unauthorized"), (refused.Kind, refused.Type));
        Assert.Equal(1, turn.Version);
    }

    // The user's turns with these texts, each acknowledged before the next is sent.
    private static async Task TurnsAsync(BotStateHttpClient client, string user, params string[] texts)
    {
        foreach (var text in texts)
        {
            await client.PostMessageAsync(user, new Message(text));
        }
    }

    /// <summary>One silo serving the API and one gateway on it, for the class; clients built as a service builds them.</summary>
    public sealed class Services : IAsyncLifetime
    {
        private readonly ServiceCluster _cluster = new(new Dictionary<string, string> { ["SILO_API_ENABLED"] = "true" });
        private readonly List<ServiceProvider> _providers = [];
        private readonly SemaphoreSlim _gate = new(1, 1);
        private ServiceProcess? _securedGateway;

        public BotStateHttpClient Client(ServiceKind shape) =>
            Client((shape == ServiceKind.Silo ? _cluster.Silo : _cluster.Gateway).BaseAddress, apiKey: null);

        public BotStateHttpClient Client(Uri baseAddress, string? apiKey)
        {
            // Fully named: this namespace has a ServiceCollection of its own (the xunit collection).
            var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
            services.AddBotStateHttpClient(options =>
            {
                options.BaseAddress = baseAddress;
                options.ApiKey = apiKey;
                options.AttemptTimeout = TimeSpan.FromSeconds(15);
                options.TotalTimeout = TimeSpan.FromSeconds(60);
            });
            var provider = services.BuildServiceProvider();
            lock (_providers)
            {
                _providers.Add(provider);
            }

            return provider.GetRequiredService<BotStateHttpClient>();
        }

        /// <summary>A second gateway on the silo that requires <see cref="ServiceFixture.ApiKey"/>.</summary>
        public async Task<ServiceProcess> SecuredGatewayAsync()
        {
            await _gate.WaitAsync();
            try
            {
                return _securedGateway ??= await _cluster.StartGatewayAsync(new Dictionary<string, string> { ["API_KEYS"] = ServiceFixture.ApiKey });
            }
            finally
            {
                _gate.Release();
            }
        }

        public Task InitializeAsync() => _cluster.StartAsync();

        public async Task DisposeAsync()
        {
            foreach (var provider in _providers)
            {
                await provider.DisposeAsync();
            }

            await _cluster.DisposeAsync();
            _gate.Dispose();
        }
    }
}
