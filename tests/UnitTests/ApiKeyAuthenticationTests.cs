using BotStateCluster.Api;
using BotStateCluster.Api.Keys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotStateCluster.UnitTests;

public sealed class ApiKeyAuthenticationTests
{
    private const string Key = "key-0123456789abcdef-known";

    private readonly RefusalLog _log = new();
    private readonly ApiKeyHandlers _handlers;

    public ApiKeyAuthenticationTests() =>
        _handlers = new ApiKeyHandlers(ApiKeyRing.Load(new ApiOptions { ApiKeys = Key }), _log);

    [Theory]
    [InlineData("Authorization", "Bearer " + Key)]
    [InlineData("Authorization", "bearer   " + Key + " ")]
    [InlineData("X-API-Key", Key)]
    public async Task AKnownKeyIsItsTenantWithTheSameResultForEveryRequest(string header, string value)
    {
        var first = await _handlers.Create(Request((header, value))).AuthenticateAsync();
        var second = await _handlers.Create(Request((header, value))).AuthenticateAsync();

        Assert.True(first.Succeeded);
        Assert.Equal(TenantId.Default, Assert.IsType<ApiKeyPrincipal>(first.Principal).Entry.Tenant);
        Assert.Same(first, second);
        Assert.Empty(_log.Lines);
    }

    [Fact]
    public async Task NoKeyIsNoResult()
    {
        var result = await _handlers.Create(Request(("Authorization", "Basic dXNlcjpwYXNz"))).AuthenticateAsync();

        Assert.True(result.None);
        Assert.Empty(_log.Lines);
    }

    [Theory]
    [InlineData("Bearer key-0123456789abcdef-unknown", null, "not valid")]
    [InlineData("Bearer " + Key, "key-0123456789abcdef-other", "hold different keys")]
    public async Task ARefusedKeyIsLoggedOncePerRequestAndNeverItself(string authorization, string? apiKey, string reason)
    {
        var context = apiKey is null ? Request(("Authorization", authorization)) : Request(("Authorization", authorization), ("X-API-Key", apiKey));

        var first = await _handlers.Create(context).AuthenticateAsync();
        var again = await _handlers.Create(context).AuthenticateAsync();

        Assert.Contains(reason, first.Failure?.Message, StringComparison.Ordinal);
        Assert.Same(first, again);
        var line = Assert.Single(_log.Lines);
        Assert.DoesNotContain("0123456789abcdef", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAuthenticationServiceAnswersWithTheHandlersResult()
    {
        var schemes = new SteadyAuthenticationSchemes(Options.Create(AuthenticationOptionsWithTheKeyScheme()));
        var service = new ApiKeyAuthenticationService(schemes, _handlers, new NoopClaimsTransformation(), Options.Create(new AuthenticationOptions()));
        var context = Request(("X-API-Key", Key));

        Assert.Same(await _handlers.Create(context).AuthenticateAsync(), await service.AuthenticateAsync(context, null));
        Assert.Same(await _handlers.Create(context).AuthenticateAsync(), await service.AuthenticateAsync(context, ApiKeyAuthentication.SchemeName));
    }

    [Fact]
    public async Task TheSchemesAnswerWithTheSameTaskUntilOneIsAddedOrRemoved()
    {
        var schemes = new SteadyAuthenticationSchemes(Options.Create(AuthenticationOptionsWithTheKeyScheme()));

        var first = schemes.GetDefaultAuthenticateSchemeAsync();
        Assert.Same(first, schemes.GetDefaultAuthenticateSchemeAsync());
        Assert.Equal(ApiKeyAuthentication.SchemeName, (await first)?.Name);
        Assert.Same(schemes.GetRequestHandlerSchemesAsync(), schemes.GetRequestHandlerSchemesAsync());

        schemes.RemoveScheme(ApiKeyAuthentication.SchemeName);
        Assert.Null(await schemes.GetDefaultAuthenticateSchemeAsync());
        schemes.AddScheme(new AuthenticationScheme(ApiKeyAuthentication.SchemeName, null, typeof(ApiKeyAuthentication)));
        Assert.Equal(ApiKeyAuthentication.SchemeName, (await schemes.GetDefaultAuthenticateSchemeAsync())?.Name);
    }

    private static AuthenticationOptions AuthenticationOptionsWithTheKeyScheme()
    {
        var options = new AuthenticationOptions { DefaultScheme = ApiKeyAuthentication.SchemeName };
        options.AddScheme<ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        return options;
    }

    private static DefaultHttpContext Request(params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        return context;
    }

    private sealed class RefusalLog : ILogger<ApiKeyAuthentication>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
