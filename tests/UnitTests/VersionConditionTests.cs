namespace BotStateCluster.UnitTests;

public sealed class VersionConditionTests
{
    [Theory]
    [InlineData(null)]
    [InlineData(1)]
    [InlineData(42)]
    public void NoneIsMetByAnything(int? version)
    {
        Assert.True(VersionCondition.None.IsMetBy(version));
    }

    [Fact]
    public void ExistsNeedsAStoredState()
    {
        Assert.False(VersionCondition.Exists.IsMetBy(null));
        Assert.True(VersionCondition.Exists.IsMetBy(1));
        Assert.True(VersionCondition.Exists.IsMetBy(99));
    }

    [Fact]
    public void AbsentNeedsNoStoredState()
    {
        Assert.True(VersionCondition.Absent.IsMetBy(null));
        Assert.False(VersionCondition.Absent.IsMetBy(1));
        Assert.False(VersionCondition.Absent.IsMetBy(99));
    }

    [Fact]
    public void OneOfIsMetOnlyByTheListedVersions()
    {
        var condition = VersionCondition.OneOf(3, 4);

        Assert.True(condition.IsMetBy(3));
        Assert.True(condition.IsMetBy(4));
        Assert.False(condition.IsMetBy(2));
        Assert.False(condition.IsMetBy(5));
    }

    [Fact]
    public void OneOfIsNotMetWhenNoStateExists()
    {
        Assert.False(VersionCondition.OneOf(1).IsMetBy(null));
    }

    [Fact]
    public void OneOfCopiesTheVersions()
    {
        var versions = new[] { 3 };

        var condition = VersionCondition.OneOf(versions);
        versions[0] = 9;

        Assert.True(condition.IsMetBy(3));
        Assert.False(condition.IsMetBy(9));
    }
}
