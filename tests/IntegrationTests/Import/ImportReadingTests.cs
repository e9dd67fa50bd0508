using System.Text.Json.Nodes;
using BotStateCluster.Silo.Import;

namespace BotStateCluster.IntegrationTests.Import;

public sealed class ImportReadingTests
{
    [Theory]
    [InlineData("""{"$date": "2024-01-02T03:04:05.678Z"}""")]
    [InlineData("""{"$date": {"$numberLong": "1704164645678"}}""")]
    [InlineData("""{"$date": 1704164645678}""")]
    public void EveryMongoDateFormBecomesAPythonIsoDate(string date)
    {
        var normalized = MongoExtendedJson.Normalize(JsonNode.Parse($$"""{"date": {{date}}}"""));

        Assert.Equal("2024-01-02T03:04:05.678000+00:00", normalized!["date"]!.GetValue<string>());
    }

    [Fact]
    public void WrappersAreUnwrappedAtAnyDepthAndOtherJsonIsKept()
    {
        var normalized = MongoExtendedJson.Normalize(JsonNode.Parse("""
            {"_id": {"$oid": "65a1b2c3d4e5f6a7b8c9d0e1"}, "nlu": {"n": {"$numberLong": "12"}, "x": [{"$numberDouble": "1.5"}, {"$numberInt": "7"}]},
             "context": {"a": {"b": "c"}}, "parameters": []}
            """));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"_id": "65a1b2c3d4e5f6a7b8c9d0e1", "nlu": {"n": 12, "x": [1.5, 7]}, "context": {"a": {"b": "c"}}, "parameters": []}
            """), normalized), normalized!.ToJsonString());
    }

    [Fact]
    public void ADateWrapperThatHoldsNoDateIsAFormatError()
    {
        Assert.Throws<FormatException>(() => MongoExtendedJson.Normalize(JsonNode.Parse("""{"date": {"$date": "soon"}}""")));
    }

    [Fact]
    public async Task JsonLinesAreNumberedByLineAndMalformedLinesReportedNotThrown()
    {
        var lines = await ReadAsync("\n{\"a\": 1}\n\n{broken\n{\"b\": 2}\n");

        Assert.Equal([2, 4, 5], lines.Select(line => line.Line));
        Assert.NotNull(lines[1].Error);
        Assert.Null(lines[0].Error);
        Assert.Equal(2, lines[2].Document!["b"]!.GetValue<int>());
    }

    [Fact]
    public async Task AJsonArrayIsReadElementByElement()
    {
        var lines = await ReadAsync("  [ {\"a\": 1}, {\"a\": 2}, 3 ]");

        Assert.Equal([1, 2, 3], lines.Select(line => line.Line));
        Assert.All(lines, line => Assert.Null(line.Error));
    }

    [Fact]
    public async Task ABrokenJsonArrayIsOneErrorNotACrash()
    {
        var lines = await ReadAsync("[ {\"a\": 1}, {oops ]");

        var line = Assert.Single(lines);
        Assert.NotNull(line.Error);
    }

    private static async Task<List<ImportLine>> ReadAsync(string text)
    {
        var lines = new List<ImportLine>();
        await foreach (var line in ImportDocumentReader.ReadAsync(new StringReader(text)))
        {
            lines.Add(line);
        }

        return lines;
    }
}
