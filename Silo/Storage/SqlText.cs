using System.Text;

namespace BotStateCluster.Silo.Storage;

/// <summary>Shapes SQL text for the driver.</summary>
internal static class SqlText
{
    /// <summary>
    /// <paramref name="sql"/> without its <c>--</c> comments and with each run of whitespace made one space, outside
    /// quoted literals and identifiers. Npgsql rewrites a command's whole text for its parameters on every execution,
    /// prepared or not: for the commented 4 kB write that was tens of microseconds of silo CPU per turn.
    /// </summary>
    public static string Compact(string sql)
    {
        var compact = new StringBuilder(sql.Length);
        var pendingSpace = false;
        for (var i = 0; i < sql.Length; i++)
        {
            var c = sql[i];
            if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                while (i + 1 < sql.Length && sql[i + 1] != '\n')
                {
                    i++;
                }

                pendingSpace = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                pendingSpace = true;
            }
            else
            {
                if (pendingSpace && compact.Length > 0)
                {
                    compact.Append(' ');
                }

                pendingSpace = false;
                if (c is '\'' or '"')
                {
                    // Through the closing quote; a doubled quote inside is part of the literal and keeps it open.
                    var end = sql.IndexOf(c, i + 1);
                    end = end < 0 ? sql.Length - 1 : end;
                    compact.Append(sql, i, end - i + 1);
                    i = end;
                }
                else
                {
                    compact.Append(c);
                }
            }
        }

        return compact.ToString();
    }
}
