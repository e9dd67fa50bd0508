namespace BotStateCluster;

/// <summary>
/// The id of a tenant, which owns conversations: 1–64 characters of <c>[a-z0-9-]</c>. Nothing of one tenant is
/// visible to another; without API keys every conversation belongs to <see cref="Default"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("BotState.TenantId")]
public readonly record struct TenantId
{
    /// <summary>The longest tenant id.</summary>
    public const int MaxLength = 64;

    /// <summary>The tenant of every conversation when no keys are configured, and of the keys in <c>API_KEYS</c>.</summary>
    public static TenantId Default { get; } = new("default");

    private TenantId(string value) => Value = value;

    /// <summary>The id, e.g. <c>acme</c>.</summary>
    [Id(0)] public string Value { get; }

    /// <summary>Reads a tenant id, or says why it cannot name a tenant.</summary>
    public static bool TryParse(string? text, out TenantId tenant, out string? problem)
    {
        problem = Validate(text);
        tenant = problem is null ? new TenantId(text!) : default;
        return problem is null;
    }

    /// <summary>Reads a tenant id.</summary>
    /// <exception cref="ArgumentException">The text is not a valid tenant id.</exception>
    public static TenantId Parse(string? text) =>
        TryParse(text, out var tenant, out var problem) ? tenant : throw new ArgumentException(problem, nameof(text));

    /// <summary>Why <paramref name="text"/> cannot name a tenant, or null when it can.</summary>
    public static string? Validate(string? text) =>
        text is { Length: >= 1 and <= MaxLength } && text.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
            ? null
            : $"a tenant id is 1 to {MaxLength} characters of a-z, 0-9 and '-', not '{text}'";

    /// <inheritdoc/>
    public override string ToString() => Value ?? "";
}
