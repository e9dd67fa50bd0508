using System.Diagnostics.Metrics;
using System.Text;
using BotStateCluster.ServiceDefaults;
using Prometheus;

namespace BotStateCluster.UnitTests;

/// <summary>
/// .NET meter measurements land in the Prometheus series their tag values name, however often the same tags come
/// back, in whatever order, and however many label sets an instrument has.
/// </summary>
public sealed class MeterBridgeTests : IDisposable
{
    private readonly Meter _meter = new($"BridgeTest{Guid.NewGuid():N}");
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly MeterBridge _bridge;

    public MeterBridgeTests() => _bridge = MeterBridge.Start(instrument => instrument.Meter == _meter, _registry);

    private string Prefix => _meter.Name.ToLowerInvariant();

    [Fact]
    public async Task RepeatedTagsAddUpInTheirOwnSeriesWhateverTheirOrder()
    {
        var sent = _meter.CreateCounter<long>("sent");
        for (var i = 0; i < 5; i++)
        {
            sent.Add(2, new("direction", "out"), new("kind", "request"));
            sent.Add(1, new("kind", "request"), new("direction", "out"));
            sent.Add(10, new("direction", "in"), new("kind", "request"));
        }

        var text = await ExportAsync();
        Assert.Contains($"{Prefix}_sent_total{{direction=\"out\",kind=\"request\"}} 15", text);
        Assert.Contains($"{Prefix}_sent_total{{direction=\"in\",kind=\"request\"}} 50", text);
    }

    [Fact]
    public async Task TagValuesOfAnyTypeAreTheirTextAndEqualValuesShareASeries()
    {
        var statuses = _meter.CreateCounter<int>("answers");
        statuses.Add(1, new KeyValuePair<string, object?>("status", 200));
        statuses.Add(1, new KeyValuePair<string, object?>("status", 200));
        statuses.Add(1, new KeyValuePair<string, object?>("status", 503));
        statuses.Add(1, new KeyValuePair<string, object?>("status", null));

        var text = await ExportAsync();
        Assert.Contains($"{Prefix}_answers_total{{status=\"200\"}} 2", text);
        Assert.Contains($"{Prefix}_answers_total{{status=\"503\"}} 1", text);
        Assert.Contains($"{Prefix}_answers_total{{status=\"\"}} 1", text);
    }

    [Fact]
    public async Task AnInstrumentWithManyLabelSetsKeepsEachApart()
    {
        var calls = _meter.CreateCounter<long>("calls");
        const int LabelSets = 100;
        for (var round = 1; round <= 3; round++)
        {
            for (var set = 0; set < LabelSets; set++)
            {
                calls.Add(set, new KeyValuePair<string, object?>("method", $"m{set}"));
            }
        }

        var text = await ExportAsync();
        for (var set = 1; set < LabelSets; set++)
        {
            Assert.Contains($"{Prefix}_calls_total{{method=\"m{set}\"}} {set * 3}\n", text);
        }
    }

    [Fact]
    public async Task HistogramsObserveAndUpDownCountersMoveBothWays()
    {
        var latency = _meter.CreateHistogram<double>("latency", unit: "s");
        var open = _meter.CreateUpDownCounter<int>("open");
        latency.Record(0.02, new KeyValuePair<string, object?>("op", "get"));
        latency.Record(0.5, new KeyValuePair<string, object?>("op", "get"));
        latency.Record(3, new KeyValuePair<string, object?>("op", "put"));
        open.Add(5);
        open.Add(-2);

        var text = await ExportAsync();
        Assert.Contains($"{Prefix}_latency_count{{op=\"get\"}} 2", text);
        Assert.Contains($"{Prefix}_latency_sum{{op=\"get\"}} 0.52", text);
        Assert.Contains($"{Prefix}_latency_count{{op=\"put\"}} 1", text);
        Assert.Contains($"{Prefix}_open 3", text);
    }

    public void Dispose()
    {
        _bridge.Dispose();
        _meter.Dispose();
    }

    private async Task<string> ExportAsync()
    {
        using var stream = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
