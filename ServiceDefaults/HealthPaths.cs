namespace BotStateCluster.ServiceDefaults;

/// <summary>The probe paths every process serves, and the tags that pick their checks.</summary>
public static class HealthPaths
{
    /// <summary>Liveness, the contract's path.</summary>
    public const string Health = "/health";

    /// <summary>Readiness, the contract's path.</summary>
    public const string Readiness = "/readiness";

    /// <summary>Kubernetes liveness probe.</summary>
    public const string Live = "/health/live";

    /// <summary>Kubernetes readiness probe.</summary>
    public const string Ready = "/health/ready";

    /// <summary>Kubernetes startup probe.</summary>
    public const string Startup = "/health/startup";

    /// <summary>Prometheus scrape path.</summary>
    public const string Metrics = "/metrics";

    /// <summary>Checks that liveness runs: local and cheap only.</summary>
    public const string LiveTag = "live";

    /// <summary>Checks that readiness runs: dependencies, cluster, shutdown.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Checks that the startup probe runs.</summary>
    public const string StartupTag = "startup";
}
