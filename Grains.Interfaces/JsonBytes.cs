using System.Buffers;
using System.Text.Json;

namespace BotStateCluster;

/// <summary>
/// Writes JSON into a buffer kept by the calling thread and returns exactly the bytes written: every turn serializes
/// its state and its stored record, and a fresh growing buffer for each cost more than the JSON itself.
/// </summary>
public static class JsonBytes
{
    /// <summary>A thread keeps a buffer up to this size; a larger one (a rare huge state) is let go after use.</summary>
    private const int KeptCapacity = 64 * 1024;

    private static readonly JsonWriterOptions Options = new() { Encoder = StateJson.Encoder };

    [ThreadStatic]
    private static Scratch? t_scratch;

    /// <summary>The JSON <paramref name="write"/> writes for <paramref name="value"/>, written as the service writes JSON everywhere.</summary>
    public static byte[] Write<T>(T value, Action<Utf8JsonWriter, T> write)
    {
        // Taken from the thread while in use: a write that serializes something else on the way gets a buffer of its own.
        var scratch = t_scratch ?? new Scratch();
        t_scratch = null;
        scratch.Writer.Reset(scratch.Buffer);
        write(scratch.Writer, value);
        scratch.Writer.Flush();
        var bytes = scratch.Buffer.WrittenSpan.ToArray();
        if (scratch.Buffer.Capacity <= KeptCapacity)
        {
            scratch.Buffer.Clear();
            t_scratch = scratch;
        }

        return bytes;
    }

    private sealed class Scratch
    {
        public ArrayBufferWriter<byte> Buffer { get; } = new(4096);

        public Utf8JsonWriter Writer { get; }

        public Scratch() => Writer = new Utf8JsonWriter(Buffer, Options);
    }
}
