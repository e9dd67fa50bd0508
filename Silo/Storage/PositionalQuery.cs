using System.Text;
using Npgsql;

namespace BotStateCluster.Silo.Storage;

/// <summary>
/// A query written with named parameters (<c>@Name</c>, as the ADO.NET provider binds them) in the positional form
/// (<c>$1</c>) that Npgsql sends as it is. Named, Npgsql parses and rewrites the whole text on every execution,
/// prepared or not: for the state write that was a fresh copy of its 2 kB text per turn, about a tenth of what
/// the silo allocated per turn.
/// </summary>
internal sealed class PositionalQuery
{
    private readonly string[] _names;

    private PositionalQuery(string text, string[] names)
    {
        Text = text;
        _names = names;
    }

    /// <summary>The text, each <c>@Name</c> replaced by <c>$n</c>, n counting distinct names in order of appearance.</summary>
    public string Text { get; }

    /// <summary>The parameter names, <c>$1</c> first.</summary>
    public IReadOnlyList<string> ParameterNames => _names;

    /// <summary>Rewrites <paramref name="sql"/>; quoted literals and identifiers, and <c>--</c> comments, are left as written.</summary>
    public static PositionalQuery From(string sql)
    {
        var text = new StringBuilder(sql.Length);
        var names = new List<string>();
        for (var i = 0; i < sql.Length; i++)
        {
            var c = sql[i];
            var skipTo = c switch
            {
                '\'' or '"' => sql.IndexOf(c, i + 1),
                '-' when i + 1 < sql.Length && sql[i + 1] == '-' => sql.IndexOf('\n', i),
                _ => i,
            };
            if (skipTo != i)
            {
                // Through the closing quote or the end of the line; a doubled quote reopens the literal at the next step.
                skipTo = skipTo < 0 ? sql.Length - 1 : skipTo;
                text.Append(sql, i, skipTo - i + 1);
                i = skipTo;
            }
            else if (c == '@' && i + 1 < sql.Length && IsNameStart(sql[i + 1]))
            {
                var end = i + 1;
                while (end < sql.Length && IsNamePart(sql[end]))
                {
                    end++;
                }

                var name = sql[(i + 1)..end];
                var index = names.FindIndex(known => string.Equals(known, name, StringComparison.OrdinalIgnoreCase));
                if (index < 0)
                {
                    names.Add(name);
                    index = names.Count - 1;
                }

                text.Append('$').Append(index + 1);
                i = end - 1;
            }
            else
            {
                text.Append(c);
            }
        }

        return new PositionalQuery(text.ToString(), [.. names]);
    }

    /// <summary>
    /// The parameters <see cref="Text"/> takes, in its order and unnamed, out of those bound by name; the others are
    /// left out. Each named parameter must be in no collection: it is renamed, not copied.
    /// </summary>
    public NpgsqlParameter[] Bind(IReadOnlyList<NpgsqlParameter> named)
    {
        var positional = new NpgsqlParameter[_names.Length];
        for (var i = 0; i < _names.Length; i++)
        {
            var parameter = Find(named, _names[i])
                ?? throw new ArgumentException($"The query takes @{_names[i]}, which was not bound.", nameof(named));
            parameter.ParameterName = string.Empty;
            positional[i] = parameter;
        }

        return positional;
    }

    private static NpgsqlParameter? Find(IReadOnlyList<NpgsqlParameter> parameters, string name)
    {
        foreach (var parameter in parameters)
        {
            if (parameter.ParameterName.AsSpan().TrimStart("@:").Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return parameter;
            }
        }

        return null;
    }

    private static bool IsNameStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsNamePart(char c) => char.IsLetterOrDigit(c) || c == '_';
}
