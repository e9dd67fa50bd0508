using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace BotStateCluster.ServiceDefaults;

/// <summary>
/// Keeps the HTTP metrics' <c>method</c> label to the standard methods: any other method a client makes up is
/// counted as <c>OTHER</c>, so that made-up methods cannot create series without bound.
/// </summary>
internal static class KnownHttpMethods
{
    /// <summary>The label value of a method outside the standard set.</summary>
    public const string Other = "OTHER";

    private static readonly HashSet<string> Standard = new(StringComparer.Ordinal)
    {
        HttpMethods.Get, HttpMethods.Head, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete,
        HttpMethods.Patch, HttpMethods.Options, HttpMethods.Trace, HttpMethods.Connect,
    };

    /// <summary>
    /// Renames a non-standard method to <see cref="Other"/> before the metrics middleware sees it. No endpoint accepts
    /// a non-standard method, so the answer (404 or 405) is the same either way.
    /// </summary>
    public static IApplicationBuilder UseKnownHttpMethods(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (!Standard.Contains(context.Request.Method))
        {
            context.Request.Method = Other;
        }

        return next(context);
    });
}
