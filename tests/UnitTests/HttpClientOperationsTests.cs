using System.Reflection;
using BotStateCluster.Client.Http;

namespace BotStateCluster.UnitTests;

/// <summary>
/// The .NET HTTP client declares its coverage of the OpenAPI document by name: one public method per operationId,
/// called the operationId plus <c>Async</c>, and no other.
/// </summary>
public sealed class HttpClientOperationsTests
{
    private static readonly string[] OperationIds =
        ["GetState", "PutState", "DeleteState", "PostMessage", "GetHistory", "GetActiveIntent", "ListStates", "ExportState", "PostErasures"];

    [Fact]
    public void EveryOperationIdHasItsMethodAndEveryMethodAnOperationId()
    {
        var methods = typeof(BotStateHttpClient).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Select(method => method.Name).Order().ToList();

        Assert.Equal(OperationIds.Select(id => id + "Async").Order(), methods);
    }
}
