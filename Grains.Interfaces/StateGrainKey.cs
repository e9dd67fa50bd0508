namespace BotStateCluster;

/// <summary>
/// The one place that turns a user id into the key of its <see cref="IStateGrain"/> and back.
/// </summary>
/// <remarks>
/// The ADO.NET storage provider reads a string key that looks like a GUID or a hex number
/// (<c>beef</c>, <c>12345</c>, <c>a+b</c>) as a numeric key with an extension and mangles it, so
/// <c>0+u1</c> would share <c>u1</c>'s row. A prefix that starts with a non-hex letter keeps every
/// key verbatim; the storage queries strip it again so the <c>states</c> table holds the bare user id.
/// </remarks>
public static class StateGrainKey
{
    /// <summary>What every state grain key starts with.</summary>
    public const string Prefix = "user/";

    /// <summary>The longest user id, in UTF-16 code units.</summary>
    public const int MaxUserIdLength = 256;

    /// <summary>The grain key of <paramref name="userId"/>'s conversation.</summary>
    /// <exception cref="ArgumentException">The user id is not valid (see <see cref="Validate"/>).</exception>
    public static string For(string userId)
    {
        if (Validate(userId) is { } problem)
        {
            throw new ArgumentException(problem, nameof(userId));
        }

        return Prefix + userId;
    }

    /// <summary>The user id a grain key was made from.</summary>
    /// <exception cref="ArgumentException">The key was not made by <see cref="For"/>.</exception>
    public static string UserIdOf(string grainKey) =>
        grainKey.StartsWith(Prefix, StringComparison.Ordinal)
            ? grainKey[Prefix.Length..]
            : throw new ArgumentException($"'{grainKey}' is not a state grain key; get the grain with GetStateGrain(userId).", nameof(grainKey));

    /// <summary>Why <paramref name="userId"/> cannot name a conversation, or null when it can.</summary>
    public static string? Validate(string? userId)
    {
        if (string.IsNullOrEmpty(userId))
        {
            return "The user id must not be empty.";
        }

        if (userId.Length > MaxUserIdLength)
        {
            return $"The user id must be at most {MaxUserIdLength} characters long, not {userId.Length}.";
        }

        if (userId.Any(char.IsControl))
        {
            return "The user id must not contain control characters.";
        }

        return null;
    }
}

/// <summary>Gets state grains by user id, the only way clients should address them.</summary>
public static class StateGrainFactoryExtensions
{
    /// <summary>The conversation-state grain of <paramref name="userId"/>.</summary>
    public static IStateGrain GetStateGrain(this IGrainFactory grainFactory, string userId) =>
        grainFactory.GetGrain<IStateGrain>(StateGrainKey.For(userId));
}
