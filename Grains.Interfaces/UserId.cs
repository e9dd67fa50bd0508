using System.Runtime.CompilerServices;

namespace BotStateCluster;

/// <summary>
/// The id of a user, which names one conversation: 1–256 characters, no control characters, valid
/// Unicode. The one place that knows the rules and turns an id into the key of its
/// <see cref="IStateGrain"/> and back.
/// </summary>
/// <remarks>
/// The ADO.NET storage provider reads a string key that looks like a GUID or a hex number
/// (<c>beef</c>, <c>12345</c>, <c>a+b</c>) as a numeric key with an extension and mangles it, so
/// <c>0+u1</c> would share <c>u1</c>'s row. <see cref="GrainKeyPrefix"/> starts with a non-hex letter
/// and keeps every key verbatim; the storage queries strip it again so the <c>states</c> table holds
/// the bare user id.
/// </remarks>
[GenerateSerializer, Immutable, Alias("BotState.UserId")]
public readonly record struct UserId
{
    /// <summary>What every state grain key starts with; storage strips exactly this.</summary>
    public const string GrainKeyPrefix = "user/";

    /// <summary>The longest user id, in UTF-16 code units.</summary>
    public const int MaxLength = 256;

    private UserId(string value) => Value = value;

    /// <summary>The id as the client wrote it (decoded), e.g. <c>a/b</c>.</summary>
    [Id(0)] public string Value { get; }

    /// <summary>The key of this user's <see cref="IStateGrain"/>.</summary>
    public string GrainKey => GrainKeyPrefix + Value;

    /// <summary>Reads a user id, or says why it cannot name a conversation.</summary>
    public static bool TryParse(string? text, out UserId userId, out string? problem)
    {
        problem = Validate(text);
        userId = problem is null ? new UserId(text!) : default;
        return problem is null;
    }

    /// <summary>Reads a user id.</summary>
    /// <exception cref="ArgumentException">The text is not a valid user id.</exception>
    public static UserId Parse(string? text) =>
        TryParse(text, out var userId, out var problem) ? userId : throw new ArgumentException(problem, nameof(text));

    /// <summary>The user id a grain key was made from.</summary>
    /// <exception cref="ArgumentException">The key was not made by <see cref="GrainKey"/>.</exception>
    public static UserId FromGrainKey(string grainKey) =>
        grainKey.StartsWith(GrainKeyPrefix, StringComparison.Ordinal) && TryParse(grainKey[GrainKeyPrefix.Length..], out var userId, out _)
            ? userId
            : throw new ArgumentException($"'{grainKey}' is not a state grain key; get the grain with GetStateGrain(userId).", nameof(grainKey));

    /// <summary>Why <paramref name="text"/> cannot name a conversation, or null when it can.</summary>
    public static string? Validate(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "The user id must not be empty.";
        }

        if (text.Length > MaxLength)
        {
            return $"The user id must be at most {MaxLength} characters long, not {text.Length}.";
        }

        if (text.Any(char.IsControl))
        {
            return "The user id must not contain control characters.";
        }

        return HasLoneSurrogate(text) ? "The user id is not valid Unicode (it holds a lone surrogate)." : null;
    }

    /// <inheritdoc/>
    public override string ToString() => Value ?? "";

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Gets state grains by user id, the only way clients should address them.</summary>
public static class StateGrainFactoryExtensions
{
    // GetGrain<IStateGrain>(key) resolves the interface's grain type by reflection on every call; this is that
    // resolution, done once per grain factory.
    private static readonly ConditionalWeakTable<IGrainFactory, GrainReference> TypeSamples = new();

    /// <summary>The conversation-state grain of <paramref name="userId"/>.</summary>
    public static IStateGrain GetStateGrain(this IGrainFactory grainFactory, UserId userId)
    {
        var sample = TypeSamples.GetValue(grainFactory, static factory => (GrainReference)factory.GetGrain<IStateGrain>(UserId.GrainKeyPrefix));
        return (IStateGrain)grainFactory.GetGrain(GrainId.Create(sample.GrainId.Type, userId.GrainKey), sample.InterfaceType);
    }

    /// <summary>The conversation-state grain of <paramref name="userId"/>.</summary>
    /// <exception cref="ArgumentException">The text is not a valid user id (see <see cref="UserId.Validate"/>).</exception>
    public static IStateGrain GetStateGrain(this IGrainFactory grainFactory, string userId) =>
        grainFactory.GetStateGrain(UserId.Parse(userId));
}
