using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// <c>encrypt-existing</c> and <c>rotate-keys</c> on real processes, while a silo serves turns: every turn succeeds,
/// progress is printed at least every 2 s, and a killed run is finished by the next.
/// </summary>
public abstract partial class EncryptionCommandTests<TServices>
    where TServices : EncryptedServices, new()
{
    private const int Conversations = 300;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task EncryptExistingEncryptsAPlaintextDatabaseOnlineAndResumesAfterAKill()
    {
        await using var services = new TServices();
        await services.InitializeAsync();
        // Written by a silo without encryption: the previous version's database.
        await services.StartAsync(EncryptedServices.WithoutEncryption);
        var marker = $"marker-{Guid.NewGuid():N}";
        var users = Enumerable.Range(0, Conversations).Select(i => $"plain-{i}-{Guid.NewGuid():N}").ToList();
        await WriteAsync(services.Api, users, marker);
        var bodies = await ReadAllAsync(services.Api, users);
        Assert.True(await services.PlaintextRowsAsync() >= Conversations * 5);

        await services.StopAsync();
        await services.StartAsync();
        // Plaintext is still served while it is being encrypted.
        Assert.Equal(bodies[users[0]], (await services.Api.GetStateAsync(users[0])).ShouldBe(HttpStatusCode.OK).Body);

        await using (var turns = new TurnsDuring(services.Api, users.Take(8).ToList()))
        {
            await using (var first = SiloCommand.Start(services.CommandEnvironment(services.EncryptionKeys), services.WorkingDirectory, "encrypt-existing", "--rate", "400"))
            {
                await first.WaitForLineAsync("a first progress line", line => ProgressLine().IsMatch(line), CommandTimeout);
                await first.KillAsync();
            }

            var left = await services.PlaintextRowsAsync();
            Assert.True(left > 0, "the first run finished before it was killed; nothing shows it resumes");
            // Paced to take about 4 s whatever the first run left, so that the progress lines can be timed: unpaced, a few
            // hundred rows are done in under a second, with one line.
            var rate = Math.Max(1, left / 4).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await using var second = SiloCommand.Start(services.CommandEnvironment(services.EncryptionKeys), services.WorkingDirectory, "encrypt-existing", "--rate", rate);
            Assert.True(await second.WaitForExitAsync(CommandTimeout) == 0, second.Output);
            AssertProgressEveryTwoSeconds(second);
            Assert.Contains($"{left} plaintext rows to encrypt", second.Output);
            Assert.Contains("encrypt-existing: done", second.Output);
            await turns.AssertAllSucceededAsync();
        }

        Assert.Equal(0, await services.PlaintextRowsAsync());
        foreach (var user in users.Skip(8))
        {
            Assert.Equal(bodies[user], (await services.Api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK).Body);
        }

        // A conversation that no activation holds: its row is read again, and now a plaintext row is refused.
        var last = users[^1];
        await services.StopAsync();
        await services.SetStoredStateAsync(last, bodies[last]);
        await services.StartAsync();
        using var refused = await services.Silo.Http.GetAsync(ApiClient.StatePath(last));
        Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
        Assert.Contains("integrity-error", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RotateKeysRewrapsEveryDataKeyOnlineAndTheOldMasterKeyCanThenGo()
    {
        await using var services = new TServices();
        await services.InitializeAsync();
        await services.StartAsync();
        var users = Enumerable.Range(0, Conversations).Select(i => $"rotate-{i}-{Guid.NewGuid():N}").ToList();
        await WriteAsync(services.Api, users, "rotate");
        var bodies = await ReadAllAsync(services.Api, users);

        var newKey = MasterKeys.Entry("k2", MasterKeys.NewMaterial());
        var both = $"{newKey},{services.EncryptionKeys}";
        await services.StopAsync();
        await services.StartAsync(new Dictionary<string, string> { ["ENCRYPTION_KEYS"] = both });
        await using (var turns = new TurnsDuring(services.Api, users.Take(8).ToList()))
        {
            await using var rotation = SiloCommand.Start(services.CommandEnvironment(both), services.WorkingDirectory, "rotate-keys");
            Assert.True(await rotation.WaitForExitAsync(CommandTimeout) == 0, rotation.Output);
            Assert.Contains($"{Conversations} data keys to re-wrap under master key 'k2'", rotation.Output);
            Assert.Contains(rotation.Lines, line => ProgressLine().IsMatch(line.Line) && line.Line.Contains($"{Conversations}/{Conversations}", StringComparison.Ordinal));
            await turns.AssertAllSucceededAsync();
        }

        // Resumable: a second run finds nothing left.
        await using (var again = SiloCommand.Start(services.CommandEnvironment(both), services.WorkingDirectory, "rotate-keys"))
        {
            Assert.True(await again.WaitForExitAsync(CommandTimeout) == 0, again.Output);
            Assert.Contains("0 data keys to re-wrap", again.Output);
        }

        // The old master key goes; everything still reads.
        await services.StopAsync();
        await services.StartAsync(new Dictionary<string, string> { ["ENCRYPTION_KEYS"] = newKey });
        foreach (var user in users.Skip(8))
        {
            Assert.Equal(bodies[user], (await services.Api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK).Body);
        }
    }

    private static async Task WriteAsync(ApiClient api, IReadOnlyList<string> users, string marker) =>
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (user, _) =>
        {
            (await api.PutStateAsync(user, new JsonObject { ["thread_id"] = user, ["context"] = new JsonObject { ["note"] = marker } })).ShouldBe(HttpStatusCode.Created);
            (await api.PostMessageAsync(user, $"{marker} hello", null, ("Idempotency-Key", $"{user}-1"))).ShouldBe(HttpStatusCode.OK);
        });

    private static async Task<Dictionary<string, string>> ReadAllAsync(ApiClient api, IReadOnlyList<string> users)
    {
        var bodies = new ConcurrentDictionary<string, string>();
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (user, _) =>
            bodies[user] = (await api.GetStateAsync(user)).ShouldBe(HttpStatusCode.OK).Body);
        return new Dictionary<string, string>(bodies);
    }

    private static void AssertProgressEveryTwoSeconds(SiloCommand command)
    {
        var times = command.Lines.Where(line => ProgressLine().IsMatch(line.Line)).Select(line => line.At).ToList();
        Assert.True(times.Count >= 2, command.Output);
        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToList();
        Assert.True(gaps.All(gap => gap <= TimeSpan.FromSeconds(2)), $"gaps between progress lines: {string.Join(", ", gaps.Select(gap => gap.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)))} s{Environment.NewLine}{command.Output}");
    }

    [GeneratedRegex(@"^(encrypt-existing|rotate-keys): \d+/\d+ \(\d+%\), \d+/s, (about \d+ s left|time left unknown)$")]
    private static partial Regex ProgressLine();

    /// <summary>Turns sent one after another while a command runs; every one must succeed.</summary>
    private sealed class TurnsDuring : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task<List<string>> _sending;

        public TurnsDuring(ApiClient api, IReadOnlyList<string> users) => _sending = Task.Run(async () =>
        {
            var failures = new List<string>();
            var sent = 0;
            while (!_stop.IsCancellationRequested)
            {
                var answer = await api.SendAsync(HttpMethod.Post, ApiClient.StatePath(users[sent++ % users.Count]) + "/messages", "{\"text\": \"during\"}");
                if (answer.Status != HttpStatusCode.OK)
                {
                    failures.Add(answer.Describe());
                }
            }

            failures.Add($"(sent {sent})");
            return failures;
        });

        public async Task AssertAllSucceededAsync()
        {
            await _stop.CancelAsync();
            var failures = await _sending;
            Assert.True(failures.Count == 1, string.Join(Environment.NewLine, failures));
            Assert.NotEqual("(sent 0)", failures[0]);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _sending;
            }
            catch (Exception exception) when (exception is HttpRequestException or Xunit.Sdk.XunitException)
            {
                // Reported by AssertAllSucceededAsync when the test got that far.
            }

            _stop.Dispose();
        }
    }
}

public sealed class SqliteEncryptionCommandTests : EncryptionCommandTests<SqliteEncryptedServices>;

public sealed class PostgreSqlEncryptionCommandTests : EncryptionCommandTests<PostgreSqlEncryptedServices>;
