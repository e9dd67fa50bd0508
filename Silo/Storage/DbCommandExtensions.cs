using System.Data;
using System.Data.Common;

namespace BotStateCluster.Silo.Storage;

internal static class DbCommandExtensions
{
    /// <summary>Adds a named parameter; null becomes SQL NULL of the given type.</summary>
    public static DbCommand With(this DbCommand command, string name, object? value, DbType? type = null)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        if (type is { } dbType)
        {
            parameter.DbType = dbType;
        }

        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }
}
