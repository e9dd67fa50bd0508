namespace BotStateCluster.EndToEndTests;

/// <summary>The executables the tests run: the product's two, and the receiver of its webhooks.</summary>
public enum ServiceKind
{
    /// <summary><c>Silo/</c>: grains, storage, clustering.</summary>
    Silo,

    /// <summary><c>Gateway/</c>: the HTTP API over an Orleans client.</summary>
    Gateway,

    /// <summary><c>tests/WebhookReceiver/</c>: not the product's, a webhook receiver the tests run as a process.</summary>
    WebhookReceiver,
}
