using System.Diagnostics;
using System.Net;
using Npgsql;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// The key store frozen while the silo serves (its data-key table locked by another transaction, so every key store
/// statement waits): what needs a key the activation does not hold answers a fast 503 and stores nothing, what
/// already holds its key goes on, and an erasure that cannot delete its key erases nothing (its deletion is cancelled,
/// not left to commit later under the conversation's next writes).
/// </summary>
public sealed class PostgreSqlKeyStoreOutageTests
{
    // The key store's own deadline is 1 s; the rest is the way back through the API on a loaded machine.
    private static readonly TimeSpan FastAnswer = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task AFrozenKeyStoreIsAFast503ThatStoresNothingWhileActivationsHoldingTheirKeyGoOn()
    {
        await using var services = new PostgreSqlEncryptedServices();
        await services.InitializeAsync();
        await services.StartAsync();
        var api = services.Api;
        var run = Guid.NewGuid().ToString("N");
        var (warm, cold) = ($"warm-{run}", $"cold-{run}");
        (await api.PostMessageAsync(warm, "before the freeze")).ShouldBe(HttpStatusCode.OK);

        await using (var freeze = new NpgsqlConnection(services.Keys.ConnectionString))
        {
            await freeze.OpenAsync();
            await using var transaction = await freeze.BeginTransactionAsync();
            await using (var lockTable = new NpgsqlCommand("LOCK TABLE data_keys IN ACCESS EXCLUSIVE MODE", freeze, transaction))
            {
                await lockTable.ExecuteNonQueryAsync();
            }

            var newConversation = await TimedAsync(() => api.PostMessageAsync(cold, "during the freeze"));
            newConversation.Response.ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
            Assert.True(newConversation.Took < FastAnswer, $"the first turn of a new conversation took {newConversation.Took}");

            // The activation unwrapped its key before the freeze: its turns need no key store.
            (await api.PostMessageAsync(warm, "during the freeze")).ShouldBe(HttpStatusCode.OK);

            var erasure = await TimedAsync(() => api.DeleteStateAsync(warm));
            erasure.Response.ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
            Assert.True(erasure.Took < FastAnswer, $"the erasure took {erasure.Took}");

            // Whether a failed deletion happened only the key store knows: the conversation asks it again, and waits.
            var afterErasure = await TimedAsync(() => api.PostMessageAsync(warm, "after the failed erasure"));
            afterErasure.Response.ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
            Assert.True(afterErasure.Took < FastAnswer, $"the turn after the failed erasure took {afterErasure.Took}");
            await transaction.RollbackAsync();
        }

        // The silo answers 503 at once for half a second after a timeout (StorageGuard.CoolDown), then asks again.
        await Poll.UntilAsync("the key store answering again", TimeSpan.FromSeconds(10),
            async () => (await api.GetStateAsync(warm)).Status != HttpStatusCode.ServiceUnavailable);
        (await api.GetStateAsync(cold)).ShouldBe(HttpStatusCode.NotFound);
        Assert.NotNull(await services.WrappedKeyAsync(warm));
        var kept = (await api.GetStateAsync(warm)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(2, kept.Version);
        (await api.PostMessageAsync(cold, "after the thaw")).ShouldBe(HttpStatusCode.OK);
    }

    private static async Task<(ApiResponse Response, TimeSpan Took)> TimedAsync(Func<Task<ApiResponse>> call)
    {
        var clock = Stopwatch.StartNew();
        var response = await call();
        return (response, clock.Elapsed);
    }
}
