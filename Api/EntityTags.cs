using System.Globalization;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace BotStateCluster.Api;

/// <summary>The state's version as a strong HTTP validator (<c>"3"</c>), and the conditions clients send with it.</summary>
internal static class EntityTags
{
    // Versions start at 1: a tag that is not a version of ours can never match.
    private const int NoVersion = 0;

    public static string Format(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    public static void Set(HttpResponse response, int version) => response.Headers.ETag = Format(version);

    /// <summary>
    /// The write condition of a request: <c>If-Match</c> (strong comparison: weak tags never match) and,
    /// where <paramref name="allowCreateOnly"/>, <c>If-None-Match: *</c>.
    /// </summary>
    public static VersionCondition Condition(HttpRequest request, bool allowCreateOnly) =>
        Condition(request.Headers.IfMatch, request.Headers.IfNoneMatch, allowCreateOnly);

    /// <inheritdoc cref="Condition(HttpRequest, bool)"/>
    public static VersionCondition Condition(StringValues ifMatch, StringValues ifNoneMatch, bool allowCreateOnly)
    {
        if (ifMatch.Count > 0)
        {
            var tags = EntityTagHeaderValue.ParseList(ifMatch);
            if (tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any)))
            {
                return VersionCondition.Exists;
            }

            return VersionCondition.OneOf([.. tags.Select(Version).DefaultIfEmpty(NoVersion)]);
        }

        return allowCreateOnly && ifNoneMatch.ToString().Trim() == "*"
            ? VersionCondition.Absent
            : VersionCondition.None;
    }

    /// <summary>Whether a GET's <c>If-None-Match</c> names the current version (a 304).</summary>
    public static bool NotModified(HttpRequest request, int version) => NotModified(request.Headers.IfNoneMatch, version);

    /// <inheritdoc cref="NotModified(HttpRequest, int)"/>
    public static bool NotModified(StringValues header, int version)
    {
        if (header.Count == 0)
        {
            return false;
        }

        // If-None-Match uses weak comparison.
        return EntityTagHeaderValue.ParseList(header).Any(tag => tag.Equals(EntityTagHeaderValue.Any) || VersionOf(tag.Tag.Value) == version);
    }

    private static int Version(EntityTagHeaderValue tag) => tag.IsWeak ? NoVersion : VersionOf(tag.Tag.Value);

    // Entity tags compare character by character (RFC 9110 8.8.3.2): "02" is not the tag of version 2.
    private static int VersionOf(string? quoted)
    {
        var text = quoted?.Trim('"');
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            && text == version.ToString(CultureInfo.InvariantCulture)
            ? version
            : NoVersion;
    }
}
