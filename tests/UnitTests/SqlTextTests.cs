using BotStateCluster.Silo.Storage;

namespace BotStateCluster.UnitTests;

public sealed class SqlTextTests
{
    [Fact]
    public void CommentsAndWhitespaceGoAndLiteralsStayAsWritten()
    {
        const string sql = """
            -- Leading comment.
            SELECT '--not a comment',   "odd  ""name"" -- too", 'it''s -- kept'
            FROM t -- trailing comment
            WHERE a = @A
              AND b->>'$.x   y' = 'z';
            """;

        Assert.Equal("""SELECT '--not a comment', "odd  ""name"" -- too", 'it''s -- kept' FROM t WHERE a = @A AND b->>'$.x   y' = 'z';""", SqlText.Compact(sql));
    }

    [Fact]
    public void ACommentOnTheLastLineEndsTheText() =>
        Assert.Equal("SELECT 1", SqlText.Compact("SELECT 1 -- done"));
}
