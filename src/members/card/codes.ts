/**
 * The member card's machine-readable codes, drawn on the server as SVG. The markup is generated
 * from a signed member reference (see reference.ts), never from user text, so it is safe to embed.
 * Neither SVG carries a style attribute, so a page with a strict style-src CSP can show them.
 */
import bwipjs from "bwip-js";
import QRCode from "qrcode";

/**
 * Width of one Code 128 module, in mm: 10 mil, the common size every desk scanner reads. It is
 * 3 dots on a 300 dpi card printer and 6 on a 600 dpi laser, so every bar prints at its true width.
 */
export const CODE128_MODULE_MM = 0.254;
/** Bar height on the card, in mm (Code 128 asks for at least 15 % of the symbol's width or 6.35 mm). */
export const CODE128_HEIGHT_MM = 8;
/** Quiet zone each side, in modules: Code 128's minimum is 10. */
export const CODE128_QUIET_MODULES = 10;

/** A QR code (error correction M, one-module margin) as an SVG sized by its container. */
export async function qrSvg(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 1 });
  return svg.trim().replace(/^<svg /, '<svg aria-hidden="true" focusable="false" ');
}

/**
 * A Code 128 barcode with its quiet zones, without human-readable text, as an SVG whose width is
 * the symbol's modules × 0.254 mm and height 8 mm (CSS may scale it down where it must).
 */
export function code128Svg(text: string): string {
  const svg = bwipjs
    .toSVG({
      bcid: "code128",
      text,
      includetext: false,
      scale: 1,
      height: CODE128_HEIGHT_MM,
      paddingwidth: CODE128_QUIET_MODULES,
    })
    .trim();
  const viewBox = /viewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)"/.exec(svg);
  if (!viewBox) throw new Error("code128Svg: bwip-js returned an SVG without a viewBox");
  const widthMm = (Number(viewBox[1]) * CODE128_MODULE_MM).toFixed(3);
  return svg.replace(
    /^<svg /,
    `<svg width="${widthMm}mm" height="${CODE128_HEIGHT_MM}mm" preserveAspectRatio="none" aria-hidden="true" focusable="false" `,
  );
}
