using System.Reflection;
using BotStateCluster.ServiceDefaults;

namespace BotStateCluster.Silo.Storage;

/// <summary>The SQL the project owns, embedded per backend: migrations, provider queries, history reads.</summary>
internal static class SqlScripts
{
    /// <summary>The query keys the ADO.NET storage provider looks up in <c>OrleansQuery</c>.</summary>
    public static readonly string[] StorageQueryKeys = ["ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey"];

    /// <summary>
    /// The query keys the ADO.NET clustering provider looks up in <c>OrleansQuery</c>; it refuses to start
    /// unless all of them are there. PostgreSQL only: SQLite runs one silo with localhost clustering.
    /// </summary>
    public static readonly string[] ClusteringQueryKeys =
    [
        "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey",
        "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
        "GatewaysQueryKey", "DeleteMembershipTableEntriesKey", "CleanupDefunctSiloEntriesKey",
    ];

    /// <summary>The provider query keys a backend registers.</summary>
    public static IReadOnlyList<string> ProviderQueryKeys(DatabaseKind kind) =>
        kind == DatabaseKind.PostgreSql ? [.. StorageQueryKeys, .. ClusteringQueryKeys] : StorageQueryKeys;

    private static readonly Assembly Assembly = typeof(SqlScripts).Assembly;

    /// <summary>A numbered schema change.</summary>
    public sealed record Migration(int Version, string Name, string Sql);

    /// <summary>The migrations of a backend, in order.</summary>
    public static IReadOnlyList<Migration> Migrations(DatabaseKind kind)
    {
        var prefix = $"{Folder(kind)}/Migrations/";
        return [.. Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(name => name[prefix.Length..^".sql".Length])
            .Select(name => new Migration(int.Parse(name[..name.IndexOf('_')], System.Globalization.CultureInfo.InvariantCulture), name, Read(kind, $"{prefix}{name}.sql")))
            .OrderBy(migration => migration.Version)];
    }

    /// <summary>The text of a provider query of a backend, compacted (<see cref="SqlText.Compact"/>): the providers run it as it is stored.</summary>
    public static string ProviderQuery(DatabaseKind kind, string key) => SqlText.Compact(Read(kind, $"{Folder(kind)}/Queries/{key}.sql"));

    /// <summary>Another script of a backend, by file name without extension.</summary>
    public static string Script(DatabaseKind kind, string name) => Read(kind, $"{Folder(kind)}/{name}.sql");

    /// <summary>
    /// Where a script needs the bare tenant or user id of the grain the provider names, it writes these placeholders;
    /// the loader puts in the expressions that split <c>@GrainIdExtensionString</c> as <see cref="ConversationKey"/>
    /// builds it (<c>t/{tenant}/{user id}</c>), so the key's shape is defined in C# only.
    /// </summary>
    public const string TenantOfGrainKey = "{TenantOfGrainKey}";

    /// <inheritdoc cref="TenantOfGrainKey"/>
    public const string UserIdOfGrainKey = "{UserIdOfGrainKey}";

    private static string Folder(DatabaseKind kind) => kind == DatabaseKind.Sqlite ? "Sqlite" : "PostgreSql";

    // The tenant runs from after the prefix to the next slash (a tenant id holds none); the user id is everything after
    // that slash. substr and instr count characters from 1 on both backends.
    private static readonly int TenantStart = ConversationKey.GrainKeyPrefix.Length + 1;

    private static string TenantExpression(DatabaseKind kind) => kind == DatabaseKind.Sqlite
        ? $"substr(@GrainIdExtensionString, {TenantStart}, instr(substr(@GrainIdExtensionString, {TenantStart}), '/') - 1)"
        : $"split_part(@GrainIdExtensionString::text, '/', 2)";

    private static string UserIdExpression(DatabaseKind kind) => kind == DatabaseKind.Sqlite
        ? $"substr(@GrainIdExtensionString, {TenantStart} + instr(substr(@GrainIdExtensionString, {TenantStart}), '/'))"
        : $"substr(@GrainIdExtensionString::text, {TenantStart} + length(split_part(@GrainIdExtensionString::text, '/', 2)) + 1)";

    private static string Read(DatabaseKind kind, string resource)
    {
        using var stream = Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The SQL script {resource} is not embedded in {Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd()
            .Replace(TenantOfGrainKey, TenantExpression(kind), StringComparison.Ordinal)
            .Replace(UserIdOfGrainKey, UserIdExpression(kind), StringComparison.Ordinal);
    }
}
