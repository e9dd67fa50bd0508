using System.Data;
using System.Data.Common;
using BotStateCluster.ServiceDefaults;

namespace BotStateCluster.Silo.Storage;

/// <summary>
/// Dates in the tables: PostgreSQL <c>timestamptz</c>, SQLite ISO-8601 UTC text of one fixed shape
/// (<see cref="PythonDate.Format"/>), which sorts as the dates it holds.
/// </summary>
internal static class StoredDate
{
    /// <summary>Adds <paramref name="value"/> as a date parameter of <paramref name="kind"/>'s column type.</summary>
    public static DbCommand WithDate(this DbCommand command, DatabaseKind kind, string name, DateTimeOffset? value) =>
        kind == DatabaseKind.Sqlite
            ? command.With(name, value is { } date ? PythonDate.Format(date) : null, DbType.String)
            : command.With(name, value?.ToUniversalTime(), DbType.DateTimeOffset);

    /// <summary>Reads a date column as either backend returns it.</summary>
    public static DateTimeOffset Read(object value, string column) => value switch
    {
        DateTime dateTime => PythonDate.Truncate(new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc))),
        DateTimeOffset offset => PythonDate.Truncate(offset),
        string text when PythonDate.TryParse(text, out var parsed) => parsed,
        _ => throw new InvalidDataException($"{column} holds '{value}', which is not a date."),
    };
}
