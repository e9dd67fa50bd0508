using BotStateCluster;
using BotStateCluster.Client;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Serialization;

// In the namespaces a host's Program.cs already imports, so that AddBotStateClient needs no using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Connects a .NET host to BotStateCluster as an Orleans client.</summary>
public static class BotStateClientExtensions
{
    /// <summary>
    /// Adds an Orleans client of the cluster the silos' environment variables name (see
    /// <see cref="BotStateClientOptions.FromConfiguration"/>); resolve <see cref="IGrainFactory"/> and call
    /// <c>GetStateGrain(userId)</c>. <paramref name="configure"/> adds to the client (filters, retry policy).
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A variable is wrong; the failures name it.</exception>
    public static IHostApplicationBuilder AddBotStateClient(this IHostApplicationBuilder builder, Action<IClientBuilder>? configure = null) =>
        builder.AddBotStateClient(BotStateClientOptions.FromConfiguration(builder.Configuration), configure);

    /// <summary>Adds an Orleans client of the cluster <paramref name="options"/> names.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options cannot connect.</exception>
    public static IHostApplicationBuilder AddBotStateClient(this IHostApplicationBuilder builder, BotStateClientOptions options, Action<IClientBuilder>? configure = null)
    {
        builder.Services.AddBotStateClient(options, configure);
        return builder;
    }

    /// <summary>Adds an Orleans client of the cluster <paramref name="options"/> names, to a plain service collection.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options cannot connect.</exception>
    public static IServiceCollection AddBotStateClient(this IServiceCollection services, BotStateClientOptions options, Action<IClientBuilder>? configure = null)
    {
        options.Validated();
        return services.AddOrleansClient(client =>
        {
            client.UseBotStateCluster(options);
            configure?.Invoke(client);
        });
    }

    /// <summary>Configures identity, clustering, serialization, call timeouts and trace propagation of a client.</summary>
    public static IClientBuilder UseBotStateCluster(this IClientBuilder client, BotStateClientOptions options)
    {
        client.Configure<ClusterOptions>(cluster =>
        {
            cluster.ServiceId = options.ServiceId;
            cluster.ClusterId = options.ClusterId;
        });
        if (options.Clustering == ClusterConnectionSettings.AdoNet)
        {
            client.UseAdoNetClustering(adoNet =>
            {
                adoNet.Invariant = "Npgsql";
                adoNet.ConnectionString = options.ConnectionString;
            });
        }
        else
        {
            client.UseLocalhostClustering(options.GatewayPort, options.ServiceId, options.ClusterId);
        }

        client.Configure<GatewayOptions>(gateways => gateways.GatewayListRefreshPeriod = options.GatewayListRefreshPeriod);
        client.Configure<ClientMessagingOptions>(messaging => messaging.ResponseTimeout = options.GrainCallTimeout);
        client.Services.AddSerializer(serializer => serializer.AddBotStateSerialization());
        return options.PropagateTraces ? client.AddActivityPropagation() : client;
    }
}
