import { Resvg } from "@resvg/resvg-js";

/** What a PNG says about itself: read from the file's own IHDR chunk and RGBA pixels, not from the SVG. */
export interface RenderedSvg {
    png: Buffer;
    /** Width and height from the PNG's IHDR chunk (bytes 16–23, big-endian). */
    width: number;
    height: number;
    /** Distinct RGBA colours painted; a blank or failed render has one (or none). */
    colours: number;
    /** Pixels that are neither transparent nor the top-left pixel's colour (the background). */
    painted: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Renders an SVG to PNG with resvg (a real SVG renderer; no browser needed). Throws on an SVG it cannot parse. */
export function renderSvg(svg: string): RenderedSvg {
    const image = new Resvg(svg, { font: { loadSystemFonts: true } }).render();
    const png = image.asPng();
    if (!png.subarray(0, 8).equals(PNG_SIGNATURE) || png.subarray(12, 16).toString("latin1") !== "IHDR") throw new Error("resvg did not produce a PNG");
    const pixels = image.pixels;
    const background = pixels.readUInt32BE(0);
    const seen = new Set<number>();
    let painted = 0;
    for (let i = 0; i < pixels.length; i += 4) {
        const rgba = pixels.readUInt32BE(i);
        seen.add(rgba);
        if (pixels[i + 3] !== 0 && rgba !== background) painted++;
    }
    return { png, width: png.readUInt32BE(16), height: png.readUInt32BE(20), colours: seen.size, painted };
}
