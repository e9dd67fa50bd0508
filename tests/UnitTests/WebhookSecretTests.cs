using System.Text;
using BotStateCluster.Api.Webhooks;

namespace BotStateCluster.UnitTests;

public sealed class WebhookSecretTests
{
    // The key 00 01 … 17, signed independently (Python's hmac) for this id, timestamp and body.
    private const string Secret = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX";

    [Fact]
    public void ASignatureIsV1AndTheBase64HmacOfIdTimestampAndBody()
    {
        Assert.True(WebhookSecret.TryParse(Secret, out var secret, out _));

        Assert.Equal("v1,dehGM5FoNrw2zBoeOeCQKzpegELjNDYhS/yvGpQ5nfg=", secret!.Sign("evt_x", 1674087231, Encoding.UTF8.GetBytes("""{"a":1}""")));
    }

    [Theory]
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYX")] // no prefix
    [InlineData("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFQ==")] // 22 bytes
    [InlineData("whsec_not base64")]
    [InlineData("")]
    public void AnythingElseIsNotASecretAndTheReasonDoesNotRepeatIt(string text)
    {
        Assert.False(WebhookSecret.TryParse(text, out _, out var problem));
        Assert.Contains("whsec_", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("AAEC", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ASecretNeverPrintsItself()
    {
        Assert.True(WebhookSecret.TryParse(Secret, out var secret, out _));
        Assert.DoesNotContain("AAEC", secret!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/hooks")]
    [InlineData("/hooks")]
    [InlineData("http://user:password@127.0.0.1/hooks")]
    public void AnEndpointNeedsAnHttpUrlWithoutCredentials(string url)
    {
        var error = Assert.Throws<FormatException>(() => WebhookEndpoint.Parse(url, Secret, "here"));
        Assert.StartsWith("here: the url", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("password", error.Message, StringComparison.Ordinal);
    }
}
