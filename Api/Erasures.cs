using System.Text.Json.Serialization;

namespace BotStateCluster.Api;

/// <summary>The body of <c>POST /v1/erasures</c>: <c>{"thread_ids": [...]}</c>, 1 to 1000 user ids.</summary>
internal sealed record ErasureRequest([property: JsonPropertyName("thread_ids")] IReadOnlyList<string?>? ThreadIds)
{
    /// <summary>The most user ids one request may erase.</summary>
    public const int MaxThreadIds = 1000;

    /// <summary>Why the body cannot be run, or null.</summary>
    public static string? Problem(ErasureRequest? request)
    {
        if (request?.ThreadIds is not { Count: >= 1 and <= MaxThreadIds } ids)
        {
            return $"The body must be {{\"thread_ids\": [...]}} with 1 to {MaxThreadIds} user ids.";
        }

        for (var i = 0; i < ids.Count; i++)
        {
            if (UserId.Validate(ids[i]) is { } problem)
            {
                return $"thread_ids[{i}]: {problem}";
            }
        }

        return null;
    }
}

/// <summary>How the erasure of one user id ended.</summary>
internal enum ErasureOutcome
{
    /// <summary>A conversation existed and was erased.</summary>
    Erased,

    /// <summary>Nothing was stored for the user id.</summary>
    NotFound,

    /// <summary>The erasure failed; nothing is known to have changed.</summary>
    Failed,
}

/// <summary>
/// The answer of <c>POST /v1/erasures</c>: which user ids were erased, which had nothing stored, and which
/// failed with why (retry those).
/// </summary>
internal sealed record ErasureResponse(
    [property: JsonPropertyName("erased")] IReadOnlyList<string> Erased,
    [property: JsonPropertyName("not_found")] IReadOnlyList<string> NotFound,
    [property: JsonPropertyName("failed")] IReadOnlyList<ErasureFailure> Failed)
{
    public static ErasureResponse From(IReadOnlyList<string> ids, IReadOnlyList<ErasureOutcome> outcomes, IReadOnlyList<Exception?> failures) => new(
        [.. ids.Where((_, i) => outcomes[i] == ErasureOutcome.Erased)],
        [.. ids.Where((_, i) => outcomes[i] == ErasureOutcome.NotFound)],
        [.. ids.Select((id, i) => (id, i)).Where(pair => outcomes[pair.i] == ErasureOutcome.Failed)
            .Select(pair => new ErasureFailure(pair.id, ServiceUnavailable.IsCause(failures[pair.i]!)
                ? "The cluster or its database did not complete the erasure; retry this id."
                : "The erasure failed unexpectedly; it has been logged."))]);
}

/// <summary>A user id whose erasure failed, and why.</summary>
internal sealed record ErasureFailure(
    [property: JsonPropertyName("thread_id")] string ThreadId,
    [property: JsonPropertyName("detail")] string Detail);
