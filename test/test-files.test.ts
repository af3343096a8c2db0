import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";

const TEST_DIR = __dirname;

function typeScriptFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? (e.name === "consumer" || e.name === "fixtures" ? [] : typeScriptFiles(path.join(dir, e.name))) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
    );
}

describe("the test files", () => {
    it("never import a test file: its tests would register again, and run twice, in the importer's worker", () => {
        const files = typeScriptFiles(TEST_DIR);
        expect(files.length).to.be.greaterThan(100);
        const importsOfTests = files.flatMap((f) =>
            [...fs.readFileSync(f, "utf8").matchAll(/(?:from|require\()\s*["']([^"']+\.test)(?:\.ts)?["']/g)].map((m) => `${path.relative(TEST_DIR, f)} imports ${m[1]}`),
        );
        expect(importsOfTests).to.deep.equal([]);
    });
});
