using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Tests.Core;

/// <summary>The text rule at its exact code-point boundaries, in every position of a value, and in the messages it gives.</summary>
public class PlainTextTests
{
    // Each boundary of the refused ranges, from both sides.
    public static TheoryData<int, bool> Boundaries() => new()
    {
        { 0x0000, true }, { 0x0009, true }, { 0x000A, true }, { 0x000D, true }, { 0x001F, true },
        { 0x0020, false }, { 0x0041, false }, { 0x007E, false },
        { 0x007F, true }, { 0x0080, true }, { 0x0085, true }, { 0x009F, true },
        { 0x00A0, false }, { 0x00E9, false }, { 0x2028, false }, { 0x2029, false },
        { 0x202A, true }, { 0x202B, true }, { 0x202C, true }, { 0x202D, true }, { 0x202E, true },
        { 0x202F, false }, { 0x2065, false },
        { 0x2066, true }, { 0x2067, true }, { 0x2068, true }, { 0x2069, true },
        { 0x2069 + 1, false }, // U+206A, the first character after the isolates
        { 0x200E, false }, { 0x200F, false }, { 0xFEFF, false }, { 0xFFFF, false },
    };

    [Theory]
    [MemberData(nameof(Boundaries))]
    public void IsRefused_FollowsTheRangesExactly(int codePoint, bool refused) =>
        Assert.Equal(refused, PlainText.IsRefused((char)codePoint));

    [Theory]
    [MemberData(nameof(Boundaries))]
    public void IndexOfRefused_FindsTheCharacter_AtTheStartInTheMiddleAndAtTheEnd_OfAsciiAndNonAsciiText(int codePoint, bool refused)
    {
        var c = (char)codePoint;
        foreach (var around in new[] { "event-42", "Société Générale", new string('x', 100) })
        {
            foreach (var at in new[] { 0, around.Length / 2, around.Length })
            {
                var text = around.Insert(at, c.ToString());
                Assert.Equal(refused ? at : -1, PlainText.IndexOfRefused(text));
            }
        }
    }

    [Fact]
    public void EveryCodeUnit_IsRefused_ExactlyWhenItIsInOneOfTheRanges()
    {
        for (var i = 0; i <= char.MaxValue; i++)
        {
            var expected = i is <= 0x1F or (>= 0x7F and <= 0x9F) or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069);
            Assert.True(expected == PlainText.IsRefused((char)i), $"U+{i:X4}");
            Assert.True(expected == (PlainText.IndexOfRefused([(char)i]) == 0), $"U+{i:X4} in a span");
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Acme Corp.")]
    [InlineData("ann.o'neil+billing@example.com")]
    [InlineData("Zürich GmbH — Büro 🚀")]
    [InlineData("שלום עולם")]
    public void Check_Accepts_CleanText_InAnyScript(string? text) => Assert.True(PlainText.Check(text, "name", "The name").IsSuccess);

    [Theory]
    [InlineData("a\u0000b", "a null character (U+0000) at character 2")]
    [InlineData("a\r\nb", "a line break (U+000D) at character 2")]
    [InlineData("\tname", "a tab (U+0009) at character 1")]
    [InlineData("abc\u0085", "a line break (U+0085) at character 4")]
    [InlineData("invoice\u202Efdp.exe", "a bidirectional override (U+202E) at character 8")]
    [InlineData("x\u2066y\u2069", "a bidirectional isolate (U+2066) at character 2")]
    [InlineData("esc\u001B[31m", "a control character (U+001B) at character 4")]
    public void Check_Refuses_NamingTheFieldAndTheCharacter_WithoutRepeatingTheValue(string text, string described)
    {
        var result = PlainText.Check(text, "events[3].id", "The event id");

        Assert.False(result.IsSuccess);
        Assert.Equal((ErrorCodes.Invalid, "events[3].id"), (result.Error.Code, result.Error.Field));
        Assert.StartsWith("The event id contains " + described, result.Error.Message);
        Assert.True(PlainText.IsClean(result.Error.Message));
        Assert.Equal(result.Error.Message, PlainText.Problem(text, "The event id"));
    }

    [Fact]
    public void Problem_IsNull_ForCleanText() => Assert.Null(PlainText.Problem("launch week", "The reason"));

    [Fact]
    public void IndexOfRefused_AllocatesNothing()
    {
        var id = "evt-000000000042-\u00E9t\u00E9";
        PlainText.IndexOfRefused(id);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var found = 0;
        for (var i = 0; i < 1_000; i++)
            found += PlainText.IndexOfRefused(id);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(-1_000, found);
    }

    [Fact]
    public void TenantSlug_UsesTheRule_NamingTheSlug()
    {
        var result = TenantSlug.Validate("ac\u202Eme");

        Assert.Equal("slug", result.Error?.Field);
        Assert.Contains("bidirectional override (U+202E)", result.Error?.Message);
    }
}
