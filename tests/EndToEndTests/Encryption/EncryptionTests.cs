using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// Encryption at rest on real processes (DESIGN section 12): erasure that reaches the backups, and stored rows that
/// are not what they claim refused with <c>integrity-error</c>, on each backend.
/// </summary>
public abstract class EncryptionTests<TServices>
    where TServices : EncryptedServices, new()
{
    private const string IntegrityErrorType = "urn:botstate:problem:integrity-error";

    [Fact]
    public async Task ErasedConversationsCannotBeReadFromABackupWhileTheOthersReadBackByteForByte()
    {
        await using var services = await StartedAsync();
        var api = services.Api;
        var marker = $"marker-{Guid.NewGuid():N}";
        var run = Guid.NewGuid().ToString("N");
        string[] kept = [$"kept-a-{run}", $"kept-b-{run}"];
        string[] erased = [$"deleted-{run}", $"requested-{run}"];
        var bodies = new Dictionary<string, string>();
        foreach (var user in kept.Concat(erased))
        {
            (await api.PutStateAsync(user, new JsonObject { ["thread_id"] = user, ["context"] = new JsonObject { ["note"] = marker } })).ShouldBe(HttpStatusCode.Created);
            (await api.PostMessageAsync(user, $"{marker} says hello", null, ("Idempotency-Key", $"{marker}-turn"))).ShouldBe(HttpStatusCode.OK);
            (await api.PostMessageAsync(user, $"{marker} again")).ShouldBe(HttpStatusCode.OK);
            bodies[user] = (await api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK).Body;
            Assert.Contains(marker, bodies[user]);
        }

        var backup = await services.BackupAsync();
        // The backup's rows, read now: nothing is written between the backup and this.
        var backedUp = new Dictionary<string, (string State, string Meta, int Version)>();
        foreach (var user in kept.Concat(erased))
        {
            backedUp[user] = await services.StoredRowAsync(user);
            Assert.NotNull(await services.DecryptAsync(user, backedUp[user].State, backedUp[user].Version));
        }

        (await api.DeleteStateAsync(erased[0])).ShouldBe(HttpStatusCode.NoContent);
        var erasure = (await api.SendAsync(HttpMethod.Post, "/v1/erasures", new JsonObject { ["thread_ids"] = new JsonArray(erased[1]) }.ToJsonString())).ShouldBe(HttpStatusCode.OK);
        Assert.Equal([erased[1]], erasure.Json["erased"]!.AsArray().Select(id => id!.GetValue<string>()));

        // The listing reads its plaintext fields beside the ciphertext; the change feed is opened for its reader, and an
        // erased conversation's earlier events have no state left to give.
        var listing = (await api.SendAsync(HttpMethod.Get, "/v1/states?limit=1000")).ShouldBe(HttpStatusCode.OK).Json["items"]!.AsArray();
        foreach (var user in kept)
        {
            var item = listing.Single(entry => entry!["thread_id"]!.GetValue<string>() == user)!;
            Assert.Equal(JsonNode.Parse(bodies[user])!["current_node"]?.ToJsonString(), item["current_node"]?.ToJsonString());
        }

        var changes = (await api.SendAsync(HttpMethod.Get, "/v1/changes?limit=1000")).ShouldBe(HttpStatusCode.OK).Json["items"]!.AsArray();
        foreach (var change in changes.Select(change => change!.AsObject()))
        {
            var user = change["thread_id"]!.GetValue<string>();
            if (kept.Contains(user))
            {
                Assert.Contains(marker, change["state"]!.ToJsonString());
            }
            else if (erased.Contains(user))
            {
                Assert.Null(change["state"]);
            }
        }

        Assert.Equal(kept.Length * 3, changes.Count(change => kept.Contains(change!["thread_id"]!.GetValue<string>())));
        var metrics = await services.Silo.Http.GetStringAsync("/metrics");
        Assert.True(MetricValue(metrics, "botstate_data_keys_created_total") >= kept.Length + erased.Length, metrics);
        Assert.True(MetricValue(metrics, "botstate_data_keys_shredded_total") >= erased.Length, metrics);

        foreach (var user in erased)
        {
            Assert.Null(await services.WrappedKeyAsync(user));
            // The backup's own row, with the live key store: there is no key to open it with.
            Assert.Null(await services.DecryptAsync(user, backedUp[user].State, backedUp[user].Version));
        }

        foreach (var user in kept)
        {
            var decrypted = await services.DecryptAsync(user, backedUp[user].State, backedUp[user].Version);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(bodies[user]), JsonNode.Parse(decrypted!)), $"{decrypted} differs from {bodies[user]}");
        }

        await services.StopAsync();
        var restored = await services.StartOnRestoredAsync(backup);
        var restoredApi = new ApiClient(restored.Http, () => restored.Describe());
        foreach (var user in erased)
        {
            (await restoredApi.GetStateAsync(user)).ShouldBeProblem(HttpStatusCode.NotFound);
            var history = await restoredApi.GetHistoryAsync(user);
            Assert.True(history.Status == HttpStatusCode.NotFound || history.Json["items"]!.AsArray().Count == 0, history.Describe());
        }

        foreach (var user in kept)
        {
            Assert.Equal(bodies[user], (await restoredApi.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK).Body);
            Assert.Contains(marker, (await restoredApi.GetHistoryAsync(user)).ShouldBe(HttpStatusCode.OK).Body);
        }

        await restored.StopAsync();
        var stored = await services.EverythingStoredAsync();
        Assert.True(stored.Length > 0);
        Assert.False(Contains(stored, Encoding.UTF8.GetBytes(marker)), "the marker is stored in plaintext somewhere");
        // The user ids are stored in plaintext (a column that stays): finding one shows the search sees the data.
        Assert.True(Contains(stored, Encoding.UTF8.GetBytes(kept[0])), "the search found not even a user id");
    }

    [Fact]
    public async Task RowsThatAreNotWhatTheyClaimAreRefusedWithIntegrityErrorAndNothingElseIsAffected()
    {
        await using var services = await StartedAsync();
        var api = services.Api;
        var run = $"tamper-{Guid.NewGuid():N}";
        var (source, copiedOnto, snapshotSource, snapshotTarget, flipped, plaintext, keyCopiedOnto, bystander) =
            ($"{run}-source", $"{run}-copied-onto", $"{run}-snapshot-source", $"{run}-snapshot-target", $"{run}-flipped", $"{run}-plaintext", $"{run}-key-copied-onto", $"{run}-bystander");
        var users = new[] { source, copiedOnto, snapshotSource, snapshotTarget, flipped, plaintext, keyCopiedOnto, bystander };
        var bodies = new Dictionary<string, string>();
        foreach (var user in users)
        {
            (await api.PostMessageAsync(user, $"secret of {user}")).ShouldBe(HttpStatusCode.OK);
            (await api.PostMessageAsync(user, $"more of {user}")).ShouldBe(HttpStatusCode.OK);
            bodies[user] = (await api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK).Body;
        }

        // Altered while no silo runs, so that every conversation is read from storage again.
        await services.StopAsync();
        var row = await services.StoredRowAsync(source);
        await services.SetStoredStateAsync(copiedOnto, row.State, row.Meta);
        await services.SetStoredSnapshotAsync(snapshotTarget, 1, await services.StoredSnapshotAsync(snapshotSource, 1));
        await services.SetStoredStateAsync(flipped, FlipOneCharacter((await services.StoredRowAsync(flipped)).State));
        await services.SetStoredStateAsync(plaintext, bodies[plaintext]);
        // In the key store: another conversation's wrapped data key, which is bound to that conversation.
        await services.CopyWrappedKeyAsync(source, keyCopiedOnto);
        await services.StartAsync();
        api = services.Api;

        var http = services.Silo.Http;
        foreach (var user in new[] { copiedOnto, flipped, plaintext, keyCopiedOnto })
        {
            for (var attempt = 0; attempt < 2; attempt++)
            {
                await AssertIntegrityErrorAsync(http, HttpMethod.Get, ApiClient.StatePath(user), user);
            }

            await AssertIntegrityErrorAsync(http, HttpMethod.Post, ApiClient.StatePath(user) + "/messages", user);
            await AssertIntegrityErrorAsync(http, HttpMethod.Get, ApiClient.StatePath(user) + "/history", user);
        }

        await AssertIntegrityErrorAsync(http, HttpMethod.Get, ApiClient.StatePath(snapshotTarget) + "/history", snapshotTarget);
        await AssertIntegrityErrorAsync(http, HttpMethod.Get, ApiClient.StatePath(snapshotTarget) + "/history", snapshotTarget);
        await AssertIntegrityErrorAsync(http, HttpMethod.Get, ApiClient.StatePath(snapshotTarget) + "/history/1", snapshotTarget);
        Assert.Equal(bodies[snapshotTarget], (await api.GetStateAsync(snapshotTarget)).ShouldBe(HttpStatusCode.OK).Body);

        foreach (var user in new[] { source, snapshotSource, bystander })
        {
            Assert.Equal(bodies[user], (await api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK).Body);
            (await api.GetHistoryAsync(user)).ShouldBe(HttpStatusCode.OK);
            (await api.PostMessageAsync(user, "still fine")).ShouldBe(HttpStatusCode.OK);
        }

        // Each tampered conversation logged and counted once, however often it was asked for.
        Assert.Equal(5, CountOccurrences(services.Silo.Output, "Integrity error"));
        var metrics = await services.Silo.Http.GetStringAsync("/metrics");
        Assert.Equal(5, MetricValue(metrics, "botstate_integrity_errors_total"));
        Assert.Equal(1, MetricValue(metrics, "botstate_data_key_unwrap_failures_total"));

        // An operator can still erase a tampered conversation.
        (await api.DeleteStateAsync(copiedOnto)).ShouldBe(HttpStatusCode.NoContent);
        (await api.GetStateAsync(copiedOnto)).ShouldBeProblem(HttpStatusCode.NotFound);
        (await api.PostMessageAsync(copiedOnto, "a new start")).ShouldBe(HttpStatusCode.OK);
    }

    private static async Task<TServices> StartedAsync()
    {
        var services = new TServices();
        try
        {
            await services.InitializeAsync();
            await services.StartAsync();
            return services;
        }
        catch
        {
            await services.DisposeAsync();
            throw;
        }
    }

    // Not through ApiClient, which holds every answer to the OpenAPI document: like internal-error, an integrity error
    // is the server's failure, not an answer the document lists.
    private static async Task AssertIntegrityErrorAsync(HttpClient http, HttpMethod method, string path, string user)
    {
        using var request = new HttpRequestMessage(method, path);
        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent("{\"text\": \"one more\"}", Encoding.UTF8, "application/json");
        }

        using var answer = await http.SendAsync(request);
        var body = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.InternalServerError, $"{method} {path}: {(int)answer.StatusCode} {body}");
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal(IntegrityErrorType, JsonNode.Parse(body)!["type"]!.GetValue<string>());
        Assert.DoesNotContain("secret of", body);
        Assert.DoesNotContain(user, body);
    }

    // One base64 character in the middle of the ciphertext, changed to another.
    private static string FlipOneCharacter(string storedState)
    {
        var envelope = JsonNode.Parse(storedState)!.AsObject();
        var sealedText = envelope["sealed"]!.GetValue<string>().ToCharArray();
        var middle = sealedText.Length / 2;
        sealedText[middle] = sealedText[middle] == 'A' ? 'B' : 'A';
        envelope["sealed"] = new string(sealedText);
        return envelope.ToJsonString();
    }

    // The value of an unlabelled counter in Prometheus text; 0 when it has no sample yet.
    private static double MetricValue(string metrics, string name) => metrics.Split('\n')
        .Where(line => line.StartsWith(name + " ", StringComparison.Ordinal))
        .Select(line => double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture))
        .FirstOrDefault();

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private static int CountOccurrences(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}

public sealed class SqliteEncryptionTests : EncryptionTests<SqliteEncryptedServices>;

public sealed class PostgreSqlEncryptionTests : EncryptionTests<PostgreSqlEncryptedServices>;
