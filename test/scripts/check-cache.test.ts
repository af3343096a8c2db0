import { expect } from "chai";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

interface CheckCache {
    tsBuildInfoFile: string;
    lintedFiles(eslint: { isPathIgnored(file: string): Promise<boolean> }): Promise<string[] | undefined>;
    toLint(files: string[], affected: (file: string) => boolean): string[];
    save(ok: boolean, files: string[] | undefined): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { checkCache } = require("../../scripts/check-cache.mjs") as { checkCache: (root: string) => CheckCache };

/** A git checkout with two linted files, one ignored file and one file the lint does not read. */
function project(): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "paved-check-cache-"));
    for (const [file, text] of Object.entries({
        "eslint.config.mjs": "export default [];\n",
        "a.ts": "export const a = 1;\n",
        "b.mjs": "export const b = 2;\n",
        "ignored.ts": "export const i = 3;\n",
        "notes.md": "# notes\n",
    })) fs.writeFileSync(path.join(root, file), text);
    execFileSync("git", ["init", "-q"], { cwd: root });
    return root;
}

const eslint = { isPathIgnored: (file: string) => Promise.resolve(file.endsWith("ignored.ts")) };
const nothingAffected = () => false;

describe("npm test's check cache (scripts/check-cache.mjs)", () => {
    let root: string;
    beforeEach(() => (root = project()));
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it("lints every file the first time, none after a clean run, then only what changed", async () => {
        const files = await checkCache(root).lintedFiles(eslint);
        expect(files).to.have.members(["a.ts", "b.mjs", "eslint.config.mjs"]);
        expect(checkCache(root).toLint(files!, nothingAffected)).to.have.members(files!);
        checkCache(root).save(true, files);
        expect(checkCache(root).toLint(files!, nothingAffected)).to.deep.equal([]);
        fs.appendFileSync(path.join(root, "b.mjs"), "export const c = 3;\n");
        expect(checkCache(root).toLint(files!, nothingAffected)).to.deep.equal(["b.mjs"]);
    });

    it("lints a file the type-check found affected although its text is unchanged", async () => {
        const files = (await checkCache(root).lintedFiles(eslint))!;
        checkCache(root).save(true, files);
        expect(checkCache(root).toLint(files, (f) => f === path.join(root, "a.ts"))).to.deep.equal(["a.ts"]);
    });

    it("lints everything again when the lint's configuration changes", async () => {
        const files = (await checkCache(root).lintedFiles(eslint))!;
        checkCache(root).save(true, files);
        fs.writeFileSync(path.join(root, "eslint.config.mjs"), "export default [{ rules: {} }];\n");
        expect(checkCache(root).toLint(files, nothingAffected)).to.have.members(files);
    });

    it("forgets the lint and the type-check after a run with problems", async () => {
        const files = (await checkCache(root).lintedFiles(eslint))!;
        const cache = checkCache(root);
        cache.save(true, files);
        fs.writeFileSync(cache.tsBuildInfoFile, "{}");
        cache.save(false, files);
        expect(fs.existsSync(cache.tsBuildInfoFile)).to.equal(false);
        expect(checkCache(root).toLint(files, nothingAffected)).to.have.members(files);
    });

    it("lists no files outside git, so the whole tree is linted", async () => {
        fs.rmSync(path.join(root, ".git"), { recursive: true });
        expect(await checkCache(root).lintedFiles(eslint)).to.equal(undefined);
    });
});
