namespace BotStateCluster.EndToEndTests;

/// <summary>The two executables of the product; the names are their project directories.</summary>
public enum ServiceKind
{
    /// <summary><c>Silo/</c>: grains, storage, clustering.</summary>
    Silo,

    /// <summary><c>Gateway/</c>: the HTTP API over an Orleans client.</summary>
    Gateway,
}
