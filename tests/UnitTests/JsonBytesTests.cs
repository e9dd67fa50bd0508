using System.Text;

namespace BotStateCluster.UnitTests;

public sealed class JsonBytesTests
{
    [Fact]
    public void EachCallReturnsExactlyItsOwnJson()
    {
        var first = JsonBytes.Write("a long first value", (writer, text) => writer.WriteStringValue(text));
        var second = JsonBytes.Write(7, (writer, number) => writer.WriteNumberValue(number));

        Assert.Equal("\"a long first value\"", Encoding.UTF8.GetString(first));
        Assert.Equal("7", Encoding.UTF8.GetString(second));
    }

    [Fact]
    public void AWriteThatSerializesSomethingElseOnTheWayKeepsBoth()
    {
        byte[]? inner = null;
        var outer = JsonBytes.Write("outer", (writer, text) =>
        {
            writer.WriteStartObject();
            writer.WriteString("name", text);
            inner = JsonBytes.Write("inner", (nested, value) => nested.WriteStringValue(value));
            writer.WritePropertyName("inner");
            writer.WriteRawValue(inner);
            writer.WriteEndObject();
        });

        Assert.Equal("\"inner\"", Encoding.UTF8.GetString(inner!));
        Assert.Equal("""{"name":"outer","inner":"inner"}""", Encoding.UTF8.GetString(outer));
    }

    [Fact]
    public void AHugeValueIsWrittenWholeAndTheNextCallIsUnaffected()
    {
        var huge = new string('x', 200_000);

        var bytes = JsonBytes.Write(huge, (writer, text) => writer.WriteStringValue(text));
        var small = JsonBytes.Write("é+", (writer, text) => writer.WriteStringValue(text));

        Assert.Equal(huge.Length + 2, bytes.Length);
        Assert.Equal("\"é+\"", Encoding.UTF8.GetString(small));
    }
}
