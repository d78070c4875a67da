using PdfSharp.Fonts;

namespace TenantPortal.Web.Invoices;

/// <summary>
/// The fonts of the PDF invoices: Liberation Sans (SIL Open Font License 1.1, Fonts/OFL.txt), embedded in this assembly,
/// so that invoices render the same on every machine and in the Docker image, which has no system fonts. Every family
/// asked for resolves to it.
/// </summary>
public sealed class InvoiceFontResolver : IFontResolver
{
    /// <summary>The family the renderer asks for.</summary>
    public const string FamilyName = "Liberation Sans";

    private const string Regular = "LiberationSans-Regular";
    private const string Bold = "LiberationSans-Bold";

    private static readonly Lazy<byte[]> RegularBytes = new(() => Load(Regular));
    private static readonly Lazy<byte[]> BoldBytes = new(() => Load(Bold));
    private static readonly Lock Gate = new();

    /// <summary>
    /// Makes this PDFsharp's font resolver for the process (once: PDFsharp refuses a change after the first font was used,
    /// and ignores a second instance of the same type).
    /// </summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not InvoiceFontResolver)
                GlobalFontSettings.FontResolver = new InvoiceFontResolver();
        }
    }

    /// <inheritdoc />
    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) =>
        // No italic face is shipped: PDFsharp slants the upright one when asked.
        new(bold ? Bold : Regular, mustSimulateBold: false, mustSimulateItalic: italic);

    /// <inheritdoc />
    public byte[] GetFont(string faceName) => faceName == Bold ? BoldBytes.Value : RegularBytes.Value;

    private static byte[] Load(string face)
    {
        var name = $"{typeof(InvoiceFontResolver).Namespace}.Fonts.{face}.ttf";
        using var stream = typeof(InvoiceFontResolver).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The font resource {name} is missing from {typeof(InvoiceFontResolver).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
