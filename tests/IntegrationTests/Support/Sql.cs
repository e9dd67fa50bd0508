using System.Data.Common;
using BotStateCluster.ServiceDefaults;

namespace BotStateCluster.IntegrationTests.Support;

/// <summary>Plain SQL against a backend, to check what is stored the way an operator would with psql or sqlite3.</summary>
public static class Sql
{
    public static async Task<object?> ScalarAsync(DatabaseTarget target, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await target.OpenAsync(CancellationToken.None);
        await using var command = Command(connection, sql, parameters);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    public static async Task<long> CountAsync(DatabaseTarget target, string sql, params (string Name, object Value)[] parameters) =>
        Convert.ToInt64(await ScalarAsync(target, sql, parameters), System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<int> ExecuteAsync(DatabaseTarget target, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await target.OpenAsync(CancellationToken.None);
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    private static DbCommand Command(DbConnection connection, string sql, (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
