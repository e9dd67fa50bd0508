namespace BotStateCluster;

/// <summary>
/// The id of a user, which names one conversation of a tenant (<see cref="ConversationKey"/>): 1–256 characters, no
/// control characters, valid Unicode. The one place that knows the rules.
/// </summary>
[GenerateSerializer, Immutable, Alias("BotState.UserId")]
public readonly record struct UserId
{
    /// <summary>The longest user id, in UTF-16 code units.</summary>
    public const int MaxLength = 256;

    private UserId(string value) => Value = value;

    /// <summary>The id as the client wrote it (decoded), e.g. <c>a/b</c>.</summary>
    [Id(0)] public string Value { get; }

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
