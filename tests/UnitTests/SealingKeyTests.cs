using System.Text;
using BotStateCluster.Grains.Encryption;

namespace BotStateCluster.UnitTests;

public sealed class SealingKeyTests
{
    private static readonly ConversationKey Alice = new(TenantId.Default, UserId.Parse("alice"));
    private static readonly ConversationKey Bob = new(TenantId.Default, UserId.Parse("bob"));

    [Fact]
    public void WhatIsSealedOpensWithTheSameBindingAndHoldsNoPlaintext()
    {
        using var key = new SealingKey(SealingKey.NewKeyMaterial());
        var plaintext = Encoding.UTF8.GetBytes("{\"marker\":\"secret-marker\"}");

        var sealedBytes = key.Seal(plaintext, RowBinding.Of(RowBinding.State, Alice, 3));

        Assert.Equal(plaintext, key.Open(sealedBytes, RowBinding.Of(RowBinding.State, Alice, 3)));
        Assert.DoesNotContain("secret-marker", Encoding.UTF8.GetString(sealedBytes));
    }

    [Fact]
    public void EachSealDrawsAFreshNonce()
    {
        using var key = new SealingKey(SealingKey.NewKeyMaterial());
        var binding = RowBinding.Of(RowBinding.State, Alice, 1);

        Assert.NotEqual(key.Seal([1, 2, 3], binding), key.Seal([1, 2, 3], binding));
    }

    [Fact]
    public void AnotherConversationVersionOrKindOfRowIsRefused()
    {
        using var key = new SealingKey(SealingKey.NewKeyMaterial());
        var sealedBytes = key.Seal([1, 2, 3], RowBinding.Of(RowBinding.State, Alice, 3));

        Assert.Throws<IntegrityException>(() => key.Open(sealedBytes, RowBinding.Of(RowBinding.State, Bob, 3)));
        Assert.Throws<IntegrityException>(() => key.Open(sealedBytes, RowBinding.Of(RowBinding.State, Alice, 4)));
        Assert.Throws<IntegrityException>(() => key.Open(sealedBytes, RowBinding.Of(RowBinding.Receipts, Alice, 3)));
        Assert.Throws<IntegrityException>(() => key.Open(sealedBytes, RowBinding.Of(RowBinding.State, new ConversationKey(TenantId.Parse("acme"), Alice.User), 3)));
    }

    [Fact]
    public void AFlippedByteOrATruncationIsRefused()
    {
        using var key = new SealingKey(SealingKey.NewKeyMaterial());
        var binding = RowBinding.Of(RowBinding.State, Alice, 3);
        var sealedBytes = key.Seal([1, 2, 3, 4, 5], binding);

        for (var i = 0; i < sealedBytes.Length; i++)
        {
            var flipped = (byte[])sealedBytes.Clone();
            flipped[i] ^= 0x01;
            Assert.Throws<IntegrityException>(() => key.Open(flipped, binding));
        }

        Assert.Throws<IntegrityException>(() => key.Open(sealedBytes[..20], binding));
    }

    [Fact]
    public void AnotherKeyCannotOpenIt()
    {
        using var key = new SealingKey(SealingKey.NewKeyMaterial());
        using var other = new SealingKey(SealingKey.NewKeyMaterial());
        var binding = RowBinding.Of(RowBinding.State, Alice, 1);

        Assert.Throws<IntegrityException>(() => other.Open(key.Seal([7], binding), binding));
    }

    [Fact]
    public void UserIdsThatShareAPrefixBindDifferently()
    {
        // Joined by NUL, which no part can hold: "a" + "b/1" never reads as "a/b" + "1".
        Assert.NotEqual(
            RowBinding.Of(RowBinding.State, new ConversationKey(TenantId.Default, UserId.Parse("a/b")), 1),
            RowBinding.Of(RowBinding.State, new ConversationKey(TenantId.Default, UserId.Parse("a")), 1));
    }
}
