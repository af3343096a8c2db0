import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { Token, Tokens, marked } from "marked";
import { REPO_ROOT } from "./harness";

const README = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");

/** Every block token marked produces, nested ones (list items, blockquotes) included; not a paragraph's inline text. */
function allTokens(tokens: Token[]): Token[] {
    const inner = (t: Token) => (t.type === "paragraph" ? [] : [...("tokens" in t && t.tokens ? t.tokens : []), ...(t.type === "list" ? (t as Tokens.List).items : [])]);
    return tokens.flatMap((t) => [t, ...allTokens(inner(t))]);
}

/** Lines that look like table rows but marked rendered as text (a blank line inside a table does that). */
function strayTableRows(markdown: string): string[] {
    return allTokens(marked.lexer(markdown))
        .filter((t) => t.type === "paragraph" || t.type === "text")
        .flatMap((t) => t.raw.split("\n"))
        .filter((line) => line.trimStart().startsWith("|"));
}

describe("README.md (rendered by marked)", () => {
    const tokens = marked.lexer(README);

    it("opens with the two commands: the plan, and the whole test set-up", () => {
        const first = tokens.find((t) => t.type !== "heading" && t.type !== "space") as Tokens.Code;
        expect(first.type).to.equal("code");
        expect(first.text.split("\n").map((line) => line.replace(/\s+#.*$/, ""))).to.deep.equal(["npm ci && npm start", "npm ci && npm run setup && npm test && npm run test:consumer"]);
    });

    it("has its sections in the order a newcomer reads them", () => {
        const sections = tokens.filter((t): t is Tokens.Heading => t.type === "heading" && t.depth === 2).map((h) => h.text.split(":")[0]);
        expect(sections).to.deep.equal([
            "What it is", "The two commands", "Using a component in your own stack", "The components", "Stack configuration",
            "The runner", "The drill", "Development and testing", "Layout",
        ]);
    });

    it("renders every table as a table: no row left as text", () => {
        const tables = tokens.filter((t) => t.type === "table");
        expect(tables.length).to.be.greaterThan(10);
        expect(strayTableRows(README)).to.deep.equal([]);
        const html = marked.parse(README, { async: false });
        expect(html.match(/<table>/g)).to.have.length(tables.length);
        expect(html).to.not.match(/<p>\s*\|/);
    });

    it("the stray-row check finds the rows a blank line cuts off a table, in a list too", () => {
        expect(strayTableRows("| a | b |\n| --- | --- |\n| 1 | 2 |\n\n| 3 | 4 |\n| 5 | 6 |\n")).to.deep.equal(["| 3 | 4 |", "| 5 | 6 |"]);
        expect(strayTableRows("- item\n\n  | x |\n")).to.deep.equal(["| x |"]);
    });
});
