using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BotStateCluster.EndToEndTests;

/// <summary>
/// HTTP/1.1 over a plain socket, for request targets no <see cref="HttpClient"/> would send as written:
/// <see cref="Uri"/> removes dot segments and unescapes, and never sends the absolute form.
/// </summary>
public static class RawHttp
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The status and body of <c>{method} {target} HTTP/1.1</c> sent to <paramref name="server"/> exactly as written.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> SendAsync(
        Uri server, string method, string target, string? body = null, string? contentType = "application/json", params (string Name, string Value)[] headers)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, timeout.Token);
        var payload = body is null ? [] : Encoding.UTF8.GetBytes(body);
        var request = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{method} {target} HTTP/1.1\r\n")
            .Append(CultureInfo.InvariantCulture, $"Host: {server.Authority}\r\n")
            .Append("Connection: close\r\n");
        if (body is not null)
        {
            if (contentType is not null)
            {
                request.Append(CultureInfo.InvariantCulture, $"Content-Type: {contentType}\r\n");
            }

            request.Append(CultureInfo.InvariantCulture, $"Content-Length: {payload.Length}\r\n");
        }

        foreach (var (name, value) in headers)
        {
            request.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.Append("\r\n").ToString()), timeout.Token);
        await stream.WriteAsync(payload, timeout.Token);
        using var response = new MemoryStream();
        await stream.CopyToAsync(response, timeout.Token);
        return Parse(response.ToArray());
    }

    private static (HttpStatusCode, string) Parse(byte[] response)
    {
        var headerEnd = response.AsSpan().IndexOf("\r\n\r\n"u8);
        Assert.True(headerEnd > 0, $"Not an HTTP response: {Encoding.UTF8.GetString(response)}");
        var head = Encoding.ASCII.GetString(response, 0, headerEnd);
        var status = (HttpStatusCode)int.Parse(head.Split(' ', 3)[1], CultureInfo.InvariantCulture);
        var body = response.AsSpan(headerEnd + 4);
        return (status, Encoding.UTF8.GetString(head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase) ? Unchunk(body) : body));
    }

    private static byte[] Unchunk(ReadOnlySpan<byte> chunked)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var lineEnd = chunked.IndexOf("\r\n"u8);
            var size = int.Parse(Encoding.ASCII.GetString(chunked[..lineEnd]), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                return body.ToArray();
            }

            body.Write(chunked.Slice(lineEnd + 2, size));
            chunked = chunked[(lineEnd + 2 + size + 2)..];
        }
    }
}
