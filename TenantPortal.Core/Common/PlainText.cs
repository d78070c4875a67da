using System.Buffers;

namespace TenantPortal.Core.Common;

/// <summary>
/// The one rule for text that people and API clients type into the portal's fields: names, emails, slugs, domains,
/// operator reasons, API key names, usage event ids and metrics. Such text may not hold
/// <list type="bullet">
/// <item>control characters: C0 <c>U+0000</c>–<c>U+001F</c> (NUL, tab, line feed, carriage return, escape, …), DEL and
/// C1 <c>U+007F</c>–<c>U+009F</c> (including NEL <c>U+0085</c>, a line break to some readers);</item>
/// <item>bidirectional overrides and isolates: <c>U+202A</c>–<c>U+202E</c> (LRE, RLE, PDF, LRO, RLO) and
/// <c>U+2066</c>–<c>U+2069</c> (LRI, RLI, FSI, PDI).</item>
/// </list>
/// Control characters forge lines in emails, log and audit entries and CSV exports, or cut text short where a NUL ends
/// a string; bidirectional controls make text display in another order than it is stored ("Trojan Source"), so an
/// operator reading an audit entry or the fleet list would see something else than what is there. Every other
/// character is allowed, so names in any script (and U+00A0, U+200E/U+200F marks, emoji) are fine.
/// Every field of the portal is single-line: none allows line breaks or tabs either. The check refuses; it never
/// strips, so what is stored is exactly what was sent. It runs on the value as sent, before any trimming.
/// </summary>
public static class PlainText
{
    // Space to tilde: printable ASCII, all of it allowed. A SearchValues scan is vectorised and, unlike the generic
    // IndexOfAnyExceptInRange<T>, never boxes its bounds before the JIT has optimised the call site.
    private static readonly SearchValues<char> PrintableAscii = SearchValues.Create(
        string.Create(0x7F - 0x20, 0, static (chars, _) => { for (var i = 0; i < chars.Length; i++) chars[i] = (char)(0x20 + i); }));

    /// <summary>True when <paramref name="c"/> is a character the rule refuses.</summary>
    public static bool IsRefused(char c) =>
        c <= '\u001F'
        || c is >= '\u007F' and <= '\u009F'
        || c is >= '\u202A' and <= '\u202E'
        || c is >= '\u2066' and <= '\u2069';

    /// <summary>
    /// The index of the first refused character in <paramref name="text"/>, or -1 when there is none. Allocates
    /// nothing; printable ASCII (the usual event id or email) is skipped by one vectorised scan.
    /// </summary>
    public static int IndexOfRefused(ReadOnlySpan<char> text)
    {
        // Everything from space to tilde is allowed: only a character outside it needs a closer look.
        var start = text.IndexOfAnyExcept(PrintableAscii);
        if (start < 0)
            return -1;
        for (var i = start; i < text.Length; i++)
        {
            if (IsRefused(text[i]))
                return i;
        }
        return -1;
    }

    /// <summary>True when <paramref name="text"/> holds no refused character (null and empty are clean).</summary>
    public static bool IsClean(ReadOnlySpan<char> text) => IndexOfRefused(text) < 0;

    /// <summary>
    /// Checks a field's value as sent: a failure is <see cref="ErrorCodes.Invalid"/> naming <paramref name="field"/>.
    /// Null and empty pass (whether a value is required is the field's own rule).
    /// </summary>
    /// <param name="text">The value as sent, before trimming.</param>
    /// <param name="field">The field's name in errors, e.g. <c>name</c> or <c>events[3].id</c>.</param>
    /// <param name="subject">How the message names the field, e.g. "The name".</param>
    public static Result Check(string? text, string field, string subject)
    {
        var at = IndexOfRefused(text);
        return at < 0 ? Result.Success() : Refusal(field, subject, text!, at);
    }

    /// <summary>The message for a refused value, or null when it is clean: for a form's field-level validation.</summary>
    /// <param name="text">The value as typed.</param>
    /// <param name="subject">How the message names the field, e.g. "The reason".</param>
    public static string? Problem(string? text, string subject)
    {
        var at = IndexOfRefused(text);
        return at < 0 ? null : Message(subject, text![at], at);
    }

    /// <summary>The error for a value whose character at <paramref name="index"/> is refused (found by <see cref="IndexOfRefused"/>).</summary>
    public static Error Refusal(string field, string subject, ReadOnlySpan<char> text, int index) =>
        Error.Invalid(field, Message(subject, text[index], index));

    // Names the character by its code point and never repeats the value: echoing it would carry the very character
    // into the message, the log line or the page that shows it.
    private static string Message(string subject, char c, int index) =>
        $"{subject} contains {Describe(c)} (U+{(int)c:X4}) at character {index + 1}. Control characters, such as line breaks and tabs, and bidirectional text controls are not allowed; remove it.";

    private static string Describe(char c) => c switch
    {
        '\0' => "a null character",
        '\t' => "a tab",
        '\n' or '\r' or '\u0085' => "a line break",
        >= '\u202A' and <= '\u202E' => "a bidirectional override",
        >= '\u2066' and <= '\u2069' => "a bidirectional isolate",
        _ => "a control character",
    };
}
