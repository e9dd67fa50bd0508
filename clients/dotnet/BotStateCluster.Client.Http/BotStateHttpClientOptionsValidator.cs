using Microsoft.Extensions.Options;

namespace BotStateCluster.Client.Http;

/// <summary>Refuses options that cannot work, at start-up (<c>ValidateOnStart</c>) or at the client's first use.</summary>
internal sealed class BotStateHttpClientOptionsValidator : IValidateOptions<BotStateHttpClientOptions>
{
    public ValidateOptionsResult Validate(string? name, BotStateHttpClientOptions options) =>
        options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
