/**
 * The review page as a board prints it: A4 portrait with 12 mm margins, at CSS's 96 px to the
 * inch. render-html.ts sets this page for print, and a diagram that is wider than the content is
 * shrunk to fit; the Chromium spec measures its labels at this width.
 */
const MM_PER_INCH = 25.4;
const CSS_PX_PER_INCH = 96;
/** Graphviz measures in points: 72 to the inch. */
const PT_PER_INCH = 72;

export const A4_PORTRAIT_MM = { width: 210, height: 297 } as const;
export const PRINT_MARGIN_MM = 12;

const px = (mm: number) => Math.floor((mm / MM_PER_INCH) * CSS_PX_PER_INCH);

/** Width and height of the printed content, in CSS px (703 × 1031). */
export const PRINTED_CONTENT_PX = {
  width: px(A4_PORTRAIT_MM.width - 2 * PRINT_MARGIN_MM),
  height: px(A4_PORTRAIT_MM.height - 2 * PRINT_MARGIN_MM),
} as const;

/** The smallest label a reader can read on paper without a lens. */
export const MIN_LABEL_PX = 9;

/** Room a diagram's caption takes below it on the printed page. */
const CAPTION_PX = 60;

const naturalPx = (pt: number) => (pt / PT_PER_INCH) * CSS_PX_PER_INCH;

/** How high a label of `fontPt` prints in a diagram of this size (in points), shrunk to the printed width. */
export function printedLabelPx(size: { readonly width: number }, fontPt: number): number {
  return naturalPx(fontPt) * Math.min(1, PRINTED_CONTENT_PX.width / naturalPx(size.width));
}

/** Whether a diagram of this size keeps labels of `smallestFontPt` legible on paper, on one printed page. */
export function fitsPrintedPage(size: { readonly width: number; readonly height: number }, smallestFontPt: number): boolean {
  const scale = printedLabelPx(size, smallestFontPt) / naturalPx(smallestFontPt);
  return printedLabelPx(size, smallestFontPt) >= MIN_LABEL_PX && naturalPx(size.height) * scale <= PRINTED_CONTENT_PX.height - CAPTION_PX;
}
