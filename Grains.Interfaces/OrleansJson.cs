using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace BotStateCluster;

/// <summary>Serializer setup every process of the cluster needs: silos, gateways and .NET clients.</summary>
public static class OrleansJson
{
    /// <summary>
    /// Lets Orleans carry the free-form JSON parts of <see cref="ConversationState"/> across the wire.
    /// </summary>
    /// <remarks>Also lets the service's own exceptions cross with their type, not as an unknown fallback.</remarks>
    public static ISerializerBuilder AddBotStateSerialization(this ISerializerBuilder builder)
    {
        builder.Services.Configure<ExceptionSerializationOptions>(options => options.SupportedNamespacePrefixes.Add(nameof(BotStateCluster)));
        return builder.AddJsonSerializer(isSupported: type => typeof(JsonNode).IsAssignableFrom(type));
    }
}
