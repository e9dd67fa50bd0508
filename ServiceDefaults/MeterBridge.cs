using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Prometheus;

namespace BotStateCluster.ServiceDefaults;

/// <summary>
/// Publishes .NET meters (the service's, Orleans', ASP.NET Core's, Npgsql's) in prometheus-net's registry
/// with the type each instrument really has: a <see cref="Counter{T}"/> or an observable counter becomes a
/// Prometheus counter named <c>…_total</c>, so that <c>rate()</c> and <c>increase()</c> are right; up-down
/// counters and gauges become gauges; histograms stay histograms.
/// </summary>
/// <remarks>
/// prometheus-net's own adapter exports every counter as a gauge without <c>_total</c> (it guards against an
/// instrument being re-created and counting from zero). Prometheus already handles a counter that restarts,
/// as it does for a restarted process, so a truthful type costs nothing here. Series never expire: every
/// label set of the exported meters is small and fixed (no user ids).
/// </remarks>
internal sealed class MeterBridge : IDisposable
{
    // prometheus-net's default for meters: 10 ms to about 47 h in doublings, whatever the unit.
    private static readonly double[] DefaultBuckets = Histogram.ExponentialBuckets(0.01, 2, 25);

    private readonly MeterListener _listener = new();
    private readonly Func<Instrument, bool> _exported;
    private readonly IMetricFactory _metrics;
    private readonly ConcurrentDictionary<(Instrument Instrument, string LabelKey), Exported> _series = new();
    private readonly ConcurrentDictionary<Instrument, Shape[]> _shapes = new();
    private volatile bool _disposed;

    private MeterBridge(Func<Instrument, bool> exported, CollectorRegistry registry, IMetricFactory metrics)
    {
        _exported = exported;
        _metrics = metrics;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (_exported(instrument))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<byte>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<short>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<float>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<decimal>((instrument, value, tags, _) => Record(instrument, (double)value, tags));
        _listener.Start();
        // Observable instruments report when asked: ask just before every scrape.
        registry.AddBeforeCollectCallback(() =>
        {
            if (!_disposed)
            {
                _listener.RecordObservableInstruments();
            }
        });
    }

    /// <summary>Starts publishing the instruments <paramref name="exported"/> selects, from now on, on <c>/metrics</c>.</summary>
    public static MeterBridge Start(Func<Instrument, bool> exported) => new(exported, Metrics.DefaultRegistry, Metrics.DefaultFactory);

    /// <summary>Starts publishing the instruments <paramref name="exported"/> selects in a registry of their own.</summary>
    public static MeterBridge Start(Func<Instrument, bool> exported, CollectorRegistry registry) =>
        new(exported, registry, Metrics.WithCustomRegistry(registry));

    /// <summary>The Prometheus name of an instrument: meter and instrument name, lower case, underscores.</summary>
    public static string PrometheusName(Instrument instrument)
    {
        var name = Sanitize($"{instrument.Meter.Name}_{instrument.Name}");
        return IsCounter(instrument) && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    public void Dispose()
    {
        _disposed = true;
        _listener.Dispose();
    }

    private static bool IsCounter(Instrument instrument)
    {
        var type = instrument.GetType();
        return type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>));
    }

    private static bool IsHistogram(Instrument instrument) =>
        instrument.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(Histogram<>);

    private static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length + 1);
        foreach (var character in name.ToLowerInvariant())
        {
            builder.Append(character is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? character : '_');
        }

        return char.IsAsciiDigit(builder[0]) ? "_" + builder : builder.ToString();
    }

    private void Record(Instrument instrument, double measurement, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // An exception thrown here would switch the instrument off for good; a bad series is dropped instead.
        try
        {
            ShapeOf(instrument, tags).RecorderFor(tags, instrument.IsObservable)(measurement);
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            // A name clash with another metric or a label set that changed shape: not worth a crash or a log flood.
        }
    }

    // Every measurement of a hot path (each HTTP request, each Orleans message) comes with the same tag names in the
    // same order, so the names are matched against the shapes seen before instead of being cleaned and sorted again.
    private Shape ShapeOf(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var known = _shapes.TryGetValue(instrument, out var shapes) ? shapes : [];
        foreach (var shape in known)
        {
            if (shape.Matches(tags))
            {
                return shape;
            }
        }

        var names = new string[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            names[i] = tags[i].Key;
        }

        // Meters do not order tags; prometheus-net needs one order per metric.
        var labels = names.Select((name, position) => (Label: Sanitize(name), Position: position))
            .OrderBy(label => label.Label, StringComparer.Ordinal)
            .ToArray();
        var labelNames = labels.Select(label => label.Label).ToArray();
        var series = _series.GetOrAdd((instrument, string.Join(',', labelNames)), key => Create(_metrics, key.Instrument, labelNames));
        var added = new Shape(names, [.. labels.Select(label => label.Position)], series);
        _shapes[instrument] = [.. known, added];
        return added;
    }

    /// <summary>The tag names of a measurement as they arrive, where each label's value is among them, and its series.</summary>
    private sealed record Shape(string[] TagNames, int[] Order, Exported Series)
    {
        // Label sets whose recorder is kept: a hot path repeats a few tag values (a message direction, a status), and
        // finding them again costs less than turning each value into a label string and looking the child up by them.
        private const int KeptLabelSets = 32;

        private volatile KeptLabelSet[] _kept = [];

        public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length != TagNames.Length)
            {
                return false;
            }

            for (var i = 0; i < tags.Length; i++)
            {
                if (!string.Equals(tags[i].Key, TagNames[i], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>What records a measurement of the series the values of <paramref name="tags"/> name.</summary>
        public Action<double> RecorderFor(ReadOnlySpan<KeyValuePair<string, object?>> tags, bool observed)
        {
            var kept = _kept;
            foreach (var set in kept)
            {
                if (set.Matches(tags))
                {
                    return set.Record;
                }
            }

            var labelValues = new string[Order.Length];
            for (var i = 0; i < labelValues.Length; i++)
            {
                labelValues[i] = tags[Order[i]].Value?.ToString() ?? "";
            }

            var record = Series.Recorder(labelValues, observed);
            if (kept.Length < KeptLabelSets)
            {
                var tagValues = new object?[tags.Length];
                for (var i = 0; i < tags.Length; i++)
                {
                    tagValues[i] = tags[i].Value;
                }

                // Two threads adding at once may keep one of the two: the other is simply found the long way next time.
                _kept = [.. kept, new KeptLabelSet(tagValues, record)];
            }

            return record;
        }
    }

    private sealed record KeptLabelSet(object?[] TagValues, Action<double> Record)
    {
        public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            for (var i = 0; i < tags.Length; i++)
            {
                if (!Equals(tags[i].Value, TagValues[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }

    private static Exported Create(IMetricFactory metrics, Instrument instrument, string[] labelNames)
    {
        var name = PrometheusName(instrument);
        var help = string.IsNullOrWhiteSpace(instrument.Unit) ? instrument.Description ?? name : $"({instrument.Unit}) {instrument.Description}";
        if (IsCounter(instrument))
        {
            return new Exported(metrics.CreateCounter(name, help, labelNames), null, null);
        }

        if (IsHistogram(instrument))
        {
            var buckets = instrument switch
            {
                Histogram<double> { Advice.HistogramBucketBoundaries: { } advised } => advised.ToArray(),
                Histogram<long> { Advice.HistogramBucketBoundaries: { } advised } => advised.Select(bound => (double)bound).ToArray(),
                _ => DefaultBuckets,
            };
            return new Exported(null, null, metrics.CreateHistogram(name, help, labelNames, new HistogramConfiguration { Buckets = buckets }));
        }

        return new Exported(null, metrics.CreateGauge(name, help, labelNames), null);
    }

    private sealed record Exported(Counter? Counter, Gauge? Gauge, Histogram? Histogram)
    {
        /// <summary>What records a measurement in the series of <paramref name="labelValues"/>.</summary>
        public Action<double> Recorder(string[] labelValues, bool observed)
        {
            if (Counter is not null)
            {
                // A counter measurement is an increment; an observable counter reports its running total.
                var counter = Counter.WithLabels(labelValues);
                return observed
                    ? counter.IncTo
                    : value =>
                    {
                        if (value > 0)
                        {
                            counter.Inc(value);
                        }
                    };
            }

            if (Histogram is not null)
            {
                return Histogram.WithLabels(labelValues).Observe;
            }

            // An up-down counter measurement is a change; an observable gauge reports its value.
            var gauge = Gauge!.WithLabels(labelValues);
            return observed ? gauge.Set : gauge.Inc;
        }
    }
}
