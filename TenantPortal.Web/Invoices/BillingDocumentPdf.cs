using PdfSharp.Drawing;
using PdfSharp.Pdf;
using TenantPortal.Core.Common;
using TenantPortal.Web.Components.Tenant.Billing;

namespace TenantPortal.Web.Invoices;

/// <summary>
/// Draws a billing document (an invoice, a credit note) as a PDF (A4): who bills whom, the document's number and facts
/// (status, dates), the period, every line with its quantity, unit price and amount, and the total. Written with PDFsharp's
/// drawing API (MigraDoc is not available): long descriptions wrap, and the lines continue on further pages under a
/// repeated header. Each rendering has its own typefaces and pages, so renderings on several threads share nothing.
/// </summary>
internal static class BillingDocumentPdf
{
    private const double Margin = 50;
    private const double LineGap = 4;
    private static readonly XColor Muted = XColor.FromArgb(0x5f, 0x63, 0x68);
    private static readonly XColor Rule = XColor.FromArgb(0xd0, 0xd4, 0xd9);

    /// <summary>The document as the bytes of a PDF file.</summary>
    public static byte[] Render(BillingDocument document) => new Drawing().Render(document);

    // One rendering: its own typefaces and pages, so that renderings on several threads share nothing.
    private sealed class Drawing
    {
        private readonly XFont _title;
        private readonly XFont _heading;
        private readonly XFont _body;
        private readonly XFont _bodyBold;
        private readonly XFont _small;

        public Drawing()
        {
            var unicode = new XPdfFontOptions(PdfFontEncoding.Unicode);
            _title = new XFont(InvoiceFontResolver.FamilyName, 22, XFontStyleEx.Bold, unicode);
            _heading = new XFont(InvoiceFontResolver.FamilyName, 12, XFontStyleEx.Bold, unicode);
            _body = new XFont(InvoiceFontResolver.FamilyName, 10, XFontStyleEx.Regular, unicode);
            _bodyBold = new XFont(InvoiceFontResolver.FamilyName, 10, XFontStyleEx.Bold, unicode);
            _small = new XFont(InvoiceFontResolver.FamilyName, 8, XFontStyleEx.Regular, unicode);
        }

        public byte[] Render(BillingDocument detail)
        {
            using var document = new PdfDocument();
            document.Info.Title = $"{detail.Title} {detail.Number}";
            document.Info.Subject = $"{detail.Title} {detail.Number} for {detail.TenantName}, {detail.Period}";
            document.Info.Author = "TenantPortal";
            document.Info.Creator = "TenantPortal";

            var writer = new PageWriter(this, document, $"{detail.Title} {detail.Number}");
            WriteHeader(writer, detail);
            WriteLines(writer, detail);
            writer.Finish();

            using var output = new MemoryStream();
            document.Save(output, closeStream: false);
            return output.ToArray();
        }

        private void WriteHeader(PageWriter w, BillingDocument detail)
        {
            var top = w.Y;
            w.Text("TenantPortal", _heading, w.Left, XBrushes.Black);
            w.Advance(_heading, 10);
            w.Text(detail.Title, _title, w.Left, XBrushes.Black);
            w.Advance(_title);
            w.Text(detail.Number, _heading, w.Left, XBrushes.Black);
            w.Advance(_heading);
            var leftBottom = w.Y;

            // Status and dates on the right, level with the title.
            var y = top;
            foreach (var (label, value) in detail.Facts)
            {
                w.TextRight($"{label}: {value}", _body, w.Right, y);
                y += _body.GetHeight() + LineGap;
            }
            w.Y = Math.Max(leftBottom, y) + 18;

            var column = w.Left + (w.Right - w.Left) / 2;
            var blockTop = w.Y;
            w.Text("BILL TO", _small, w.Left, new XSolidBrush(Muted));
            w.Text("PERIOD", _small, column, new XSolidBrush(Muted));
            w.Advance(_small);
            foreach (var text in w.Wrap(detail.TenantName, _bodyBold, column - w.Left - 12))
            {
                w.Text(text, _bodyBold, w.Left, XBrushes.Black);
                w.Advance(_bodyBold);
            }
            w.Text(detail.BillingEmail ?? "No billing email set", _body, w.Left, XBrushes.Black);
            w.Advance(_body);
            var billToBottom = w.Y;
            w.Y = blockTop + _small.GetHeight() + LineGap;
            w.Text(detail.Period, _bodyBold, column, XBrushes.Black);
            w.Advance(_bodyBold);
            w.Text(detail.PeriodNote, _body, column, XBrushes.Black);
            w.Advance(_body);
            w.Y = Math.Max(billToBottom, w.Y) + 20;
        }

        private void WriteLines(PageWriter w, BillingDocument detail)
        {
            w.TableHeader();
            foreach (var line in detail.Lines)
            {
                var description = w.Wrap(line.Description, _body, w.DescriptionWidth);
                var height = description.Count * (_body.GetHeight() + LineGap) + 4;
                w.EnsureRoom(height, repeatTableHeader: true);
                var y = w.Y;
                foreach (var text in description)
                {
                    w.Text(text, _body, w.Left, XBrushes.Black);
                    w.Advance(_body);
                }
                w.TextRight(BillingFormat.Quantity(line.Quantity), _body, w.QuantityRight, y);
                w.TextRight(BillingFormat.UnitPrice(line.UnitPriceCents), _body, w.UnitPriceRight, y);
                w.TextRight(Money.Format(line.AmountCents), _body, w.Right, y);
                w.Y = y + height;
                w.HorizontalRule(w.Y - 2, Rule);
            }

            w.EnsureRoom(_heading.GetHeight() * 4, repeatTableHeader: false);
            w.Y += 6;
            w.TextRight(detail.TotalLabel, _heading, w.UnitPriceRight, w.Y);
            w.TextRight(Money.Format(detail.TotalCents), _heading, w.Right, w.Y);
            w.Advance(_heading, 24);
            foreach (var text in w.Wrap(detail.Note, _small, w.Right - w.Left))
            {
                w.Text(text, _small, w.Left, new XSolidBrush(Muted));
                w.Advance(_small);
            }
        }

        // Draws top to bottom on A4 pages, adding a page (with its footer) when the next block does not fit.
        private sealed class PageWriter
        {
            private readonly Drawing _r;
            private readonly PdfDocument _document;
            private readonly string _name;
            private readonly List<XGraphics> _pages = [];
            private XGraphics _gfx = default!;
            private double _bottom;

            public PageWriter(Drawing renderer, PdfDocument document, string name)
            {
                (_r, _document, _name) = (renderer, document, name);
                NewPage();
            }

            public double Y { get; set; }

            public double Left => Margin;

            public double Right { get; private set; }

            public double DescriptionWidth => QuantityRight - 80 - Left;

            public double QuantityRight => Right - 190;

            public double UnitPriceRight => Right - 95;

            public void Text(string text, XFont font, double x, XBrush brush) =>
                _gfx.DrawString(text, font, brush, new XPoint(x, Y), XStringFormats.TopLeft);

            public void TextRight(string text, XFont font, double right, double y) =>
                _gfx.DrawString(text, font, XBrushes.Black, new XPoint(right - _gfx.MeasureString(text, font).Width, y), XStringFormats.TopLeft);

            public void Advance(XFont font, double extra = 0) => Y += font.GetHeight() + LineGap + extra;

            public void HorizontalRule(double y, XColor color) => _gfx.DrawLine(new XPen(color, 0.5), Left, y, Right, y);

            public void TableHeader()
            {
                var y = Y;
                Text("Description", _r._bodyBold, Left, XBrushes.Black);
                TextRight("Quantity", _r._bodyBold, QuantityRight, y);
                TextRight("Unit price", _r._bodyBold, UnitPriceRight, y);
                TextRight("Amount", _r._bodyBold, Right, y);
                Advance(_r._bodyBold, 2);
                HorizontalRule(Y - 2, XColors.Black);
                Y += 4;
            }

            public void EnsureRoom(double height, bool repeatTableHeader)
            {
                if (Y + height <= _bottom)
                    return;
                NewPage();
                if (repeatTableHeader)
                    TableHeader();
            }

            // Words onto lines no wider than the width; a word wider than a line is cut where it must be.
            public List<string> Wrap(string text, XFont font, double width)
            {
                var lines = new List<string>();
                var current = "";
                foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var candidate = current.Length == 0 ? word : $"{current} {word}";
                    if (_gfx.MeasureString(candidate, font).Width <= width)
                    {
                        current = candidate;
                        continue;
                    }
                    if (current.Length > 0)
                        lines.Add(current);
                    current = word;
                    while (current.Length > 1 && _gfx.MeasureString(current, font).Width > width)
                    {
                        var cut = current.Length - 1;
                        while (cut > 1 && _gfx.MeasureString(current[..cut], font).Width > width)
                            cut--;
                        lines.Add(current[..cut]);
                        current = current[cut..];
                    }
                }
                lines.Add(current);
                return lines;
            }

            public void Finish()
            {
                for (var i = 0; i < _pages.Count; i++)
                {
                    var gfx = _pages[i];
                    var page = _document.Pages[i];
                    var footer = $"{_name} · page {i + 1} of {_pages.Count}";
                    gfx.DrawString(footer, _r._small, new XSolidBrush(Muted),
                        new XPoint(page.Width.Point - Margin - gfx.MeasureString(footer, _r._small).Width, page.Height.Point - Margin / 2 - _r._small.GetHeight()),
                        XStringFormats.TopLeft);
                    gfx.Dispose();
                }
            }

            private void NewPage()
            {
                var page = _document.AddPage();
                page.Size = PdfSharp.PageSize.A4;
                _gfx = XGraphics.FromPdfPage(page);
                _pages.Add(_gfx);
                Right = page.Width.Point - Margin;
                _bottom = page.Height.Point - Margin - 20;
                Y = Margin;
            }
        }
    }
}
