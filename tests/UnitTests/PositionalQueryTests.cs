using BotStateCluster.Silo.Storage;
using Npgsql;
using NpgsqlTypes;

namespace BotStateCluster.UnitTests;

public sealed class PositionalQueryTests
{
    [Fact]
    public void EachDistinctNameBecomesOnePositionInOrderOfAppearance()
    {
        var query = PositionalQuery.From("SELECT @B::text, @a, @b || 'x' FROM t WHERE c @> @A");

        Assert.Equal("SELECT $1::text, $2, $1 || 'x' FROM t WHERE c @> $2", query.Text);
        Assert.Equal(["B", "a"], query.ParameterNames);
    }

    [Fact]
    public void QuotedTextAndCommentsKeepTheirAtSigns()
    {
        const string sql = """
            SELECT '@NotOne', "@Col", 'it''s @Still not' -- @Comment
            , @Real
            """;

        var query = PositionalQuery.From(sql);

        Assert.Equal(sql.Replace("@Real", "$1", StringComparison.Ordinal), query.Text);
        Assert.Equal(["Real"], query.ParameterNames);
    }

    [Fact]
    public void BindOrdersTheNamedParametersUnnamedAndLeavesTheUnusedOut()
    {
        var query = PositionalQuery.From("UPDATE s SET v = @Payload WHERE id = @Id AND version = @Version");
        var id = new NpgsqlParameter("Id", "u1");
        var unused = new NpgsqlParameter("GrainIdHash", 42);
        var version = new NpgsqlParameter("@version", NpgsqlDbType.Integer) { Value = DBNull.Value };
        var payload = new NpgsqlParameter("Payload", new byte[] { 1 });

        var bound = query.Bind([id, unused, version, payload]);

        Assert.Equal([payload, id, version], bound);
        Assert.All(bound, parameter => Assert.Equal(string.Empty, parameter.ParameterName));
        Assert.Equal(NpgsqlDbType.Integer, version.NpgsqlDbType);
    }

    [Fact]
    public void BindRefusesAMissingParameter()
    {
        var query = PositionalQuery.From("SELECT @Id, @Other");

        var error = Assert.Throws<ArgumentException>(() => query.Bind([new NpgsqlParameter("Id", 1)]));
        Assert.Contains("@Other", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheStateWriteQueryHasNoNamedParameterLeft()
    {
        var query = PositionalQuery.From(SqlScripts.ProviderQuery(ServiceDefaults.DatabaseKind.PostgreSql, "WriteToStorageKey"));

        Assert.DoesNotContain("@", query.Text, StringComparison.Ordinal);
        Assert.Equal(["PayloadBinary", "ServiceId", "GrainIdExtensionString", "GrainStateVersion"], query.ParameterNames);
    }
}
