using System.Text.Json.Nodes;
using BotStateCluster.Client.Http;
using Microsoft.Extensions.DependencyInjection;

// Outside BotStateCluster.*: the snippets are written as a service writes them, and there ServiceCollection is
// Microsoft's (the tests' namespace has a ServiceCollection of its own) and Message and ActiveIntent are the HTTP client's.
namespace DocumentationSamples;

/// <summary>The .NET HTTP snippets of docs/clients.md: the page shows these regions word for word, and they run.</summary>
[Collection(BotStateCluster.EndToEndTests.ServiceCollection.Name)]
public sealed class ClientsDocumentTests(BotStateCluster.EndToEndTests.ServiceFixture fixture)
{
    private const string Page = "docs/clients.md";
    private const string ThisFile = "tests/EndToEndTests/ClientsDocumentTests.cs";

    [Theory]
    [InlineData("http-first-turn")]
    [InlineData("http-errors")]
    public void ThePageShowsTheRegionWordForWord(string snippet) =>
        Assert.Equal(
            BotStateCluster.EndToEndTests.DocumentSnippets.Region(ThisFile, snippet),
            BotStateCluster.EndToEndTests.DocumentSnippets.Block(Page, snippet));

    [Fact]
    public async Task TheFirstTurnAndTheErrorHandlingRunAsWritten()
    {
        var gatewayUrl = fixture.Gateway.BaseAddress;

        // <http-first-turn>
        var services = new ServiceCollection();
        services.AddBotStateHttpClient(options =>
        {
            options.BaseAddress = gatewayUrl;
            options.ApiKey = Environment.GetEnvironmentVariable("BOTSTATE_API_KEY");
        });
        await using var provider = services.BuildServiceProvider();
        var botState = provider.GetRequiredService<BotStateHttpClient>();

        var turn = await botState.PostMessageAsync("user-1", new Message("hi", new JsonObject { ["locale"] = "en" }));
        // turn.State is the state after the turn, turn.Version its version (the ETag).
        // </http-first-turn>

        Assert.Equal("hi", turn.State.UserMessage!.Text);

        // <http-errors>
        var current = await botState.GetStateAsync("user-1");
        current!.State.CurrentNode = "checkout";
        try
        {
            await botState.PutStateAsync("user-1", current.State, ifMatch: current.Version);
        }
        catch (BotStateProblemException problem) when (problem.Kind == ProblemKind.PreconditionFailed)
        {
            // Someone saved since current.Version: read again, decide again.
        }
        // </http-errors>

        var saved = await botState.GetStateAsync("user-1");
        Assert.Equal(("checkout", current.Version + 1), (saved!.State.CurrentNode, saved.Version));
        await Assert.ThrowsAsync<BotStateProblemException>(() => botState.PutStateAsync("user-1", current.State, ifMatch: current.Version));
    }
}
