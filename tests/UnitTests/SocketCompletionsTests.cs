using BotStateCluster.ServiceDefaults;

namespace BotStateCluster.UnitTests;

/// <summary>The switch is set when nobody set it, and an operator's own value wins. Restores the variable.</summary>
public sealed class SocketCompletionsTests : IDisposable
{
    private readonly string? _before = Environment.GetEnvironmentVariable(SocketCompletions.Variable);

    [Fact]
    public void UnsetItIsSwitchedOn()
    {
        Environment.SetEnvironmentVariable(SocketCompletions.Variable, null);

        SocketCompletions.RunInlineUnlessConfigured();

        Assert.Equal("1", Environment.GetEnvironmentVariable(SocketCompletions.Variable));
    }

    [Fact]
    public void AnOperatorsZeroIsKept()
    {
        Environment.SetEnvironmentVariable(SocketCompletions.Variable, "0");

        SocketCompletions.RunInlineUnlessConfigured();

        Assert.Equal("0", Environment.GetEnvironmentVariable(SocketCompletions.Variable));
    }

    public void Dispose() => Environment.SetEnvironmentVariable(SocketCompletions.Variable, _before);
}
