using System.Text.Json.Nodes;
using BotStateCluster.IntegrationTests.Support;

namespace BotStateCluster.IntegrationTests.Lifecycle;

/// <summary>The conversation catalog on a real backend: keyset pages, filters, and a walk under concurrent writes.</summary>
public abstract class ListingTests(StateCluster cluster)
{
    private IConversationCatalogGrain Catalog => cluster.Cluster.Client.GetGrain<IConversationCatalogGrain>(0);

    private async Task<List<string>> CreateAsync(string node, int count, Func<int, string?>? intent = null)
    {
        var users = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var user = $"list{i}-{Guid.NewGuid():N}";
            var fields = new JsonObject { ["current_node"] = node, ["intent"] = intent?.Invoke(i) is { } id ? new JsonObject { ["id"] = id } : new JsonObject() };
            await cluster.Grain(user).ReplaceAsync(LifecycleHarness.State(user, DateTimeOffset.UtcNow, fields), VersionCondition.None);
            users.Add(user);
        }

        return users;
    }

    private async Task<List<ConversationSummary>> WalkAsync(ConversationQuery query, Func<int, Task>? betweenPages = null)
    {
        var seen = new List<ConversationSummary>();
        var page = await Catalog.ListAsync(query);
        for (var number = 1; ; number++)
        {
            seen.AddRange(page.Items);
            if (page.Next is null)
            {
                return seen;
            }

            if (betweenPages is not null)
            {
                await betweenPages(number);
            }

            page = await Catalog.ListAsync(query with { After = page.Next });
        }
    }

    [Fact]
    public async Task AWalkUnderConcurrentWritesSeesEveryUntouchedConversationOnceNewestFirst()
    {
        var node = $"node-{Guid.NewGuid():N}";
        var users = await CreateAsync(node, 60);
        var touched = new HashSet<string>();
        var random = new Random(7);

        var seen = await WalkAsync(new ConversationQuery(TenantId.Default, Limit: 7, CurrentNode: node), async _ =>
        {
            // Writes between pages move conversations to the front, past where the walk already is.
            for (var i = 0; i < 3; i++)
            {
                var user = users[random.Next(users.Count)];
                touched.Add(user);
                await cluster.Grain(user).ProcessMessageAsync(new IncomingMessage("moved"), VersionCondition.None);
            }
        });

        var ids = seen.Select(item => item.ThreadId).ToList();
        Assert.Equal(ids.Distinct(), ids);
        Assert.Empty(users.Except(touched).Except(ids));
        Assert.All(seen, item => Assert.Equal(node, item.CurrentNode));
        for (var i = 1; i < seen.Count; i++)
        {
            Assert.True(Compare(seen[i - 1], seen[i]) > 0, $"item {i} is not older than the one before: {seen[i - 1]} then {seen[i]}");
        }
    }

    [Fact]
    public async Task FiltersSelectByIntentAndUpdateTime()
    {
        var node = $"node-{Guid.NewGuid():N}";
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var users = await CreateAsync(node, 10, i => i % 2 == 0 ? $"intent-{node}" : null);

        var byIntent = await WalkAsync(new ConversationQuery(TenantId.Default, Limit: 3, IntentId: $"intent-{node}"));
        var byNode = await WalkAsync(new ConversationQuery(TenantId.Default, Limit: 100, CurrentNode: node, UpdatedAfter: before));
        var none = await WalkAsync(new ConversationQuery(TenantId.Default, Limit: 100, CurrentNode: node, UpdatedBefore: before));

        Assert.Equal(users.Where((_, i) => i % 2 == 0).Order(), byIntent.Select(item => item.ThreadId).Order());
        Assert.All(byIntent, item => Assert.Equal($"intent-{node}", item.IntentId));
        Assert.Equal(users.AsEnumerable().Reverse(), byNode.Select(item => item.ThreadId));
        Assert.All(byNode, item => Assert.Equal(1, item.Version));
        Assert.Empty(none);
    }

    [Fact]
    public async Task ErasedConversationsAreNotListed()
    {
        var node = $"node-{Guid.NewGuid():N}";
        var users = await CreateAsync(node, 3);
        Assert.True(await cluster.Grain(users[1]).EraseAsync());

        var listed = await WalkAsync(new ConversationQuery(TenantId.Default, Limit: 10, CurrentNode: node));

        Assert.Equal([users[2], users[0]], listed.Select(item => item.ThreadId));
    }

    private static int Compare(ConversationSummary a, ConversationSummary b) =>
        a.UpdatedAt != b.UpdatedAt ? a.UpdatedAt.CompareTo(b.UpdatedAt) : string.CompareOrdinal(a.ThreadId, b.ThreadId);
}

[Collection(SqliteCluster.Name)]
public sealed class SqliteListingTests(SqliteClusterFixture fixture) : ListingTests(fixture.Cluster);

[Collection(PostgreSqlCluster.Name)]
public sealed class PostgreSqlListingTests(PostgreSqlClusterFixture fixture) : ListingTests(fixture.Cluster);
