using System.Diagnostics;
using BotStateCluster.ServiceDefaults;
using YamlDotNet.RepresentationModel;

namespace BotStateCluster.IntegrationTests.Deployment;

/// <summary>
/// Renders the kustomize overlays with the real kubectl and checks that what the manifests probe,
/// expose and configure is what the processes serve and read.
/// </summary>
public sealed class KubernetesManifestTests
{
    public static TheoryData<string> Overlays => ["dev", "prod"];

    [Theory]
    [MemberData(nameof(Overlays))]
    public void ProbesUseThePathsTheProcessesServe(string overlay)
    {
        foreach (var container in Containers(Render(overlay)))
        {
            Assert.Equal(HealthPaths.Startup, ProbePath(container, "startupProbe"));
            Assert.Equal(HealthPaths.Ready, ProbePath(container, "readinessProbe"));
            Assert.Equal(HealthPaths.Live, ProbePath(container, "livenessProbe"));
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void SilosExposeTheConfiguredOrleansPortsAndEveryContainerItsHttpPort(string overlay)
    {
        var documents = Render(overlay);
        var defaults = new ClusterSettings();
        var config = ConfigMapData(documents);
        Assert.Equal(defaults.SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture), config["SILO_PORT"]);
        Assert.Equal(defaults.GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture), config["GATEWAY_PORT"]);

        foreach (var (component, container) in Containers(documents).Select(container => (Component(container), container)))
        {
            var ports = ((YamlSequenceNode)container["ports"]).Cast<YamlMappingNode>()
                .ToDictionary(port => port["name"].ToString(), port => int.Parse(port["containerPort"].ToString(), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(8080, ports["http"]);
            Assert.Contains("http://+:8080", EnvironmentValues(container));
            if (component == "silo")
            {
                Assert.Equal(defaults.SiloPort, ports["silo"]);
                Assert.Equal(defaults.GatewayPort, ports["gateway"]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void EveryVariableTheManifestsSetIsOneTheProcessesRead(string overlay)
    {
        var documents = Render(overlay);
        var names = ConfigMapData(documents).Keys
            .Concat(Containers(documents).SelectMany(container => ((YamlSequenceNode)container["env"]).Cast<YamlMappingNode>().Select(env => env["name"].ToString())));

        var unlisted = names.Where(name => !EnvironmentVariables.IsRead(name)).ToList();
        Assert.True(unlisted.Count == 0, $"Not in ServiceDefaults/EnvironmentVariables.json: {string.Join(", ", unlisted)}");
    }

    [Fact]
    public void TheProductionOverlayRunsThreeSilosWithoutCpuLimitsOrServiceAccountTokens()
    {
        var documents = Render("prod");
        var silo = documents.Single(document => Kind(document) == "Deployment" && document["metadata"]["name"].ToString() == "botstate-silo");
        var spec = (YamlMappingNode)silo["spec"];

        Assert.Equal("3", spec["replicas"].ToString());
        Assert.Equal("0", spec["strategy"]["rollingUpdate"]["maxUnavailable"].ToString());
        var pod = (YamlMappingNode)spec["template"]["spec"];
        Assert.Equal("false", pod["automountServiceAccountToken"].ToString());
        Assert.True(int.Parse(pod["terminationGracePeriodSeconds"].ToString(), System.Globalization.CultureInfo.InvariantCulture) > HostDefaults.ShutdownTimeout.TotalSeconds);
        Assert.All(Containers([silo]), container => Assert.False(((YamlMappingNode)container["resources"]["limits"]).Children.ContainsKey("cpu")));
        Assert.Contains(documents, document => Kind(document) == "PodDisruptionBudget");
        Assert.DoesNotContain(documents, document => Kind(document) == "Secret");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void TheGatewayPortAdmitsPodsLabelledAsClientsAndTheSiloPortDoesNot(string overlay)
    {
        var policy = Render(overlay).Single(document => Kind(document) == "NetworkPolicy" && document["metadata"]["labels"]["app.kubernetes.io/component"].ToString() == "silo");
        var rules = ((YamlSequenceNode)policy["spec"]["ingress"]).Cast<YamlMappingNode>().ToList();

        static bool Admits(YamlMappingNode rule, int port) =>
            rule.Children.ContainsKey("ports") && ((YamlSequenceNode)rule["ports"]).Cast<YamlMappingNode>().Any(entry => entry["port"].ToString() == port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        static IEnumerable<YamlMappingNode> Sources(YamlMappingNode rule) =>
            rule.Children.ContainsKey("from") ? ((YamlSequenceNode)rule["from"]).Cast<YamlMappingNode>() : [];

        // Exactly the label a client's pod is told to carry, nothing the overlays add: kustomize must not have touched it.
        static bool Only(YamlMappingNode source, string selector, string label) =>
            source.Children.TryGetValue(selector, out var node) && node is YamlMappingNode selection
            && !selection.Children.ContainsKey("matchLabels")
            && selection["matchExpressions"] is YamlSequenceNode { Children.Count: 1 } expressions
            && expressions[0]["key"].ToString() == label && expressions[0]["operator"].ToString() == "In"
            && ((YamlSequenceNode)expressions[0]["values"]).Select(value => value.ToString()).SequenceEqual(["true"]);

        static bool SelectsClients(YamlMappingNode source) => Only(source, "podSelector", "botstate.io/client");

        var gatewayRules = rules.Where(rule => Admits(rule, new ClusterSettings().GatewayPort)).ToList();
        Assert.Contains(gatewayRules.SelectMany(Sources), source => SelectsClients(source) && !source.Children.ContainsKey("namespaceSelector"));
        Assert.Contains(gatewayRules.SelectMany(Sources), source => SelectsClients(source) && Only(source, "namespaceSelector", "botstate.io/clients"));
        Assert.All(gatewayRules, rule => Assert.True(rule.Children.ContainsKey("from"), "The gateway port must not be open to every pod."));
        var siloRules = rules.Where(rule => Admits(rule, new ClusterSettings().SiloPort)).ToList();
        Assert.NotEmpty(siloRules);
        Assert.DoesNotContain(siloRules.SelectMany(Sources), SelectsClients);
    }

    private static List<YamlMappingNode> Render(string overlay)
    {
        var start = new ProcessStartInfo("kubectl", ["kustomize", Path.Combine(RepositoryRoot(), "deploy", "k8s", "overlays", overlay)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "kubectl kustomize did not finish within 60 s");
        Assert.True(process.ExitCode == 0, $"kubectl kustomize {overlay} failed: {error.Result}");

        var stream = new YamlStream();
        stream.Load(new StringReader(output.Result));
        return [.. stream.Documents.Select(document => (YamlMappingNode)document.RootNode)];
    }

    private static IEnumerable<YamlMappingNode> Containers(IEnumerable<YamlMappingNode> documents) =>
        documents.Where(document => Kind(document) == "Deployment")
            .SelectMany(document => ((YamlSequenceNode)document["spec"]["template"]["spec"]["containers"]).Cast<YamlMappingNode>());

    private static Dictionary<string, string> ConfigMapData(IEnumerable<YamlMappingNode> documents) =>
        ((YamlMappingNode)documents.Single(document => Kind(document) == "ConfigMap")["data"]).Children
            .ToDictionary(pair => pair.Key.ToString(), pair => pair.Value.ToString());

    private static IEnumerable<string> EnvironmentValues(YamlMappingNode container) =>
        ((YamlSequenceNode)container["env"]).Cast<YamlMappingNode>()
            .Where(env => env.Children.ContainsKey("value")).Select(env => env["value"].ToString());

    private static string Component(YamlMappingNode container) => container["name"].ToString();

    private static string ProbePath(YamlMappingNode container, string probe) => container[probe]["httpGet"]["path"].ToString();

    private static string Kind(YamlMappingNode document) => document["kind"].ToString();

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BotStateCluster.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root (BotStateCluster.sln) is not above the test assembly.");
    }
}
