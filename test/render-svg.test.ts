import { expect } from "chai";
import { renderSvg } from "./render-svg";

describe("renderSvg (test helper)", () => {
    it("reports the PNG's own size and counts the painted pixels of a hand-drawn image", () => {
        const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="4"><rect width="10" height="4" fill="#fff"/><rect x="1" y="1" width="2" height="2" fill="#f00"/></svg>`;
        const png = renderSvg(svg);
        expect(png.png.subarray(1, 4).toString("latin1")).to.equal("PNG");
        expect(png).to.include({ width: 10, height: 4, colours: 2, painted: 4 });
    });

    it("finds nothing painted in a blank image", () => {
        expect(renderSvg(`<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>`)).to.include({ width: 8, height: 8, colours: 1, painted: 0 });
    });

    it("throws on an SVG it cannot parse", () => {
        expect(() => renderSvg("<svg><rect")).to.throw();
    });
});
