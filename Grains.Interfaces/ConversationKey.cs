using System.Runtime.CompilerServices;

namespace BotStateCluster;

/// <summary>
/// What names one conversation: a user id of a tenant. The one place that turns it into the key of its
/// <see cref="IStateGrain"/> and back.
/// </summary>
/// <remarks>
/// The key is <c>t/{tenant}/{user id}</c>. The ADO.NET storage provider reads a string key that looks like a GUID or a
/// hex number (<c>beef</c>, <c>12345</c>, <c>a+b</c>) as a numeric key with an extension and mangles it, so <c>0+u1</c>
/// would share <c>u1</c>'s row: the key starts with a non-hex letter, which keeps every key verbatim. A tenant id holds
/// no <c>/</c>, so the first two slashes delimit it and the rest is the user id, whatever it holds. The storage queries
/// split the key the same way (<c>SqlScripts</c>), so the tables hold the bare tenant and user id.
/// </remarks>
[GenerateSerializer, Immutable, Alias("BotState.ConversationKey")]
public readonly record struct ConversationKey([property: Id(0)] TenantId Tenant, [property: Id(1)] UserId User)
{
    /// <summary>What every state grain key starts with.</summary>
    public const string GrainKeyPrefix = "t/";

    /// <summary>The key of this conversation's <see cref="IStateGrain"/>.</summary>
    public string GrainKey => $"{GrainKeyPrefix}{Tenant.Value}/{User.Value}";

    /// <summary>The conversation a grain key was made from.</summary>
    /// <exception cref="ArgumentException">The key was not made by <see cref="GrainKey"/>.</exception>
    public static ConversationKey FromGrainKey(string grainKey)
    {
        var slash = grainKey.StartsWith(GrainKeyPrefix, StringComparison.Ordinal) ? grainKey.IndexOf('/', GrainKeyPrefix.Length) : -1;
        return slash > 0
            && TenantId.TryParse(grainKey[GrainKeyPrefix.Length..slash], out var tenant, out _)
            && UserId.TryParse(grainKey[(slash + 1)..], out var user, out _)
            ? new ConversationKey(tenant, user)
            : throw new ArgumentException($"'{grainKey}' is not a state grain key; get the grain with GetStateGrain(tenant, userId).", nameof(grainKey));
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Tenant}/{User}";
}

/// <summary>Gets state grains by tenant and user id, the only way clients should address them.</summary>
public static partial class StateGrainFactoryExtensions
{
    // GetGrain<IStateGrain>(key) resolves the interface's grain type by reflection on every call; this is that
    // resolution, done once per grain factory.
    private static readonly ConditionalWeakTable<IGrainFactory, GrainReference> TypeSamples = new();

    /// <summary>The conversation-state grain of <paramref name="conversation"/>.</summary>
    public static IStateGrain GetStateGrain(this IGrainFactory grainFactory, ConversationKey conversation)
    {
        var sample = TypeSamples.GetValue(grainFactory, static factory => (GrainReference)factory.GetGrain<IStateGrain>(ConversationKey.GrainKeyPrefix));
        return (IStateGrain)grainFactory.GetGrain(GrainId.Create(sample.GrainId.Type, conversation.GrainKey), sample.InterfaceType);
    }

    /// <summary>The conversation-state grain of <paramref name="userId"/> of <paramref name="tenant"/>.</summary>
    public static IStateGrain GetStateGrain(this IGrainFactory grainFactory, TenantId tenant, UserId userId) =>
        grainFactory.GetStateGrain(new ConversationKey(tenant, userId));

    /// <summary>The conversation-state grain of <paramref name="userId"/> of <paramref name="tenant"/>.</summary>
    /// <exception cref="ArgumentException">A text is not a valid tenant or user id.</exception>
    public static IStateGrain GetStateGrain(this IGrainFactory grainFactory, string tenant, string userId) =>
        grainFactory.GetStateGrain(new ConversationKey(TenantId.Parse(tenant), UserId.Parse(userId)));

    /// <summary>The conversation-state grain of <paramref name="userId"/> of the tenant <c>default</c> (a service without API keys).</summary>
    /// <exception cref="ArgumentException">The text is not a valid user id (see <see cref="UserId.Validate"/>).</exception>
    public static IStateGrain GetStateGrain(this IGrainFactory grainFactory, string userId) =>
        grainFactory.GetStateGrain(new ConversationKey(TenantId.Default, UserId.Parse(userId)));
}
