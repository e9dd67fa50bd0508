using BotStateCluster.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace BotStateCluster.UnitTests;

public sealed class LogSettingsTests
{
    private static LogSettings Read(string? level = null, string? format = null)
    {
        var values = new Dictionary<string, string?>();
        if (level is not null)
        {
            values["LOG_LEVEL"] = level;
        }

        if (format is not null)
        {
            values["LOG_FORMAT"] = format;
        }

        return LogSettings.From(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
    }

    [Fact]
    public void DefaultsAreInformationAndJson()
    {
        var settings = Read();

        Assert.Equal(LogLevel.Information, settings.Level);
        Assert.True(settings.Json);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void BlankLevelIsInformation(string level)
    {
        Assert.Equal(LogLevel.Information, Read(level).Level);
    }

    [Theory]
    [InlineData("Trace", LogLevel.Trace)]
    [InlineData("Debug", LogLevel.Debug)]
    [InlineData("Information", LogLevel.Information)]
    [InlineData("Warning", LogLevel.Warning)]
    [InlineData("Error", LogLevel.Error)]
    [InlineData("Critical", LogLevel.Critical)]
    [InlineData("None", LogLevel.None)]
    public void DotNetLevelNamesMap(string name, LogLevel expected)
    {
        Assert.Equal(expected, Read(name).Level);
    }

    [Theory]
    [InlineData("DEBUG", LogLevel.Debug)]
    [InlineData("INFO", LogLevel.Information)]
    [InlineData("WARNING", LogLevel.Warning)]
    [InlineData("ERROR", LogLevel.Error)]
    [InlineData("CRITICAL", LogLevel.Critical)]
    [InlineData("WARN", LogLevel.Warning)]
    [InlineData("FATAL", LogLevel.Critical)]
    [InlineData("NOTSET", LogLevel.Trace)]
    public void PythonLevelNamesMap(string name, LogLevel expected)
    {
        Assert.Equal(expected, Read(name).Level);
    }

    [Theory]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData("info", LogLevel.Information)]
    [InlineData("Info", LogLevel.Information)]
    [InlineData("warning", LogLevel.Warning)]
    [InlineData("error", LogLevel.Error)]
    [InlineData("critical", LogLevel.Critical)]
    [InlineData("INFORMATION", LogLevel.Information)]
    [InlineData(" INFO ", LogLevel.Information)]
    public void LevelNamesAreCaseInsensitiveAndTrimmed(string name, LogLevel expected)
    {
        Assert.Equal(expected, Read(name).Level);
    }

    [Theory]
    [InlineData("verbose")]
    [InlineData("loud")]
    [InlineData("10")]
    [InlineData("2")]
    [InlineData("INFO,DEBUG")]
    public void UnknownLevelIsAConfigurationErrorNamingLogLevel(string level)
    {
        var error = Assert.Throws<ConfigurationError>(() => Read(level));

        Assert.StartsWith("LOG_LEVEL", error.Message, StringComparison.Ordinal);
        Assert.Contains(level, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("json", true)]
    [InlineData("JSON", true)]
    [InlineData(" Json ", true)]
    [InlineData("", true)]
    [InlineData("text", false)]
    [InlineData("TEXT", false)]
    [InlineData(" text ", false)]
    public void FormatIsJsonOrText(string format, bool json)
    {
        Assert.Equal(json, Read(format: format).Json);
    }

    [Theory]
    [InlineData("xml")]
    [InlineData("plain")]
    [InlineData("logfmt")]
    public void UnknownFormatIsAConfigurationErrorNamingLogFormat(string format)
    {
        var error = Assert.Throws<ConfigurationError>(() => Read(format: format));

        Assert.StartsWith("LOG_FORMAT", error.Message, StringComparison.Ordinal);
        Assert.Contains(format, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LevelAndFormatAreReadTogether()
    {
        Assert.Equal(new LogSettings(LogLevel.Warning, Json: false), Read("WARNING", "text"));
    }
}
