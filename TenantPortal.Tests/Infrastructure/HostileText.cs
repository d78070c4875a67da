namespace TenantPortal.Tests.Infrastructure;

/// <summary>The characters the text-rule tests put into every field: each is refused by <c>PlainText</c>.</summary>
public static class HostileText
{
    /// <summary>A NUL, a CR/LF pair, NEL (U+0085), a right-to-left override (U+202E) and a left-to-right isolate (U+2066), by name.</summary>
    public static readonly IReadOnlyDictionary<string, string> Characters = new Dictionary<string, string>
    {
        ["NUL"] = "\u0000",
        ["CRLF"] = "\r\n",
        ["NEL"] = "\u0085",
        ["RLO"] = "\u202E",
        ["LRI"] = "\u2066",
    };

    /// <summary>Every case name of <paramref name="cases"/> with every character name.</summary>
    public static TheoryData<string, string> Cross(IEnumerable<string> cases)
    {
        var data = new TheoryData<string, string>();
        foreach (var name in cases)
        {
            foreach (var character in Characters.Keys)
                data.Add(name, character);
        }
        return data;
    }

    /// <summary>"(U+XXXX)" of the first character of the named sequence, as the refusal's message names it.</summary>
    public static string CodePoint(string character) => $"(U+{(int)Characters[character][0]:X4})";
}
