namespace BotStateCluster.Api.Keys;

/// <summary>What an API key may do (DESIGN section 11). Each scope is also the name of the policy that requires it.</summary>
public static class ApiScopes
{
    /// <summary>GET a state, its history, its active intent, the listing.</summary>
    public const string Read = "read";

    /// <summary>PUT, turns, DELETE, restore, fork.</summary>
    public const string Write = "write";

    /// <summary>The data-subject operations: export and bulk erasure.</summary>
    public const string Privacy = "privacy";

    /// <summary>Every scope, which the keys of <c>API_KEYS</c> have.</summary>
    public static IReadOnlyList<string> All { get; } = [Read, Write, Privacy];
}
