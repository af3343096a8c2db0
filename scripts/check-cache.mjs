// What scripts/check.mjs may skip on its next run: it keeps only a clean state (no type error, no lint
// problem), so a file it skips is one that was clean and has not changed since.
// - The type-check is TypeScript's own incremental build info: a file is checked again when it, or the
//   declared shape of anything it depends on, changed (what `tsc --incremental` does).
// - The lint keeps each clean file's content hash. A file is linted again when its text changed, when
//   the type-check found it affected (type-aware rules read other files' types), when it is new, or when
//   the lint's configuration or the installed packages changed.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

const LINTED = /\.(ts|mts|cts|js|mjs|cjs)$/;

const hashOf = (file) => createHash("sha1").update(fs.readFileSync(file)).digest("hex");

export function checkCache(root) {
    const dir = path.join(root, "node_modules", ".cache", "paved-road");
    const tsBuildInfoFile = path.join(dir, "check.tsbuildinfo");
    const lintFile = path.join(dir, "lint.json");
    // The lint's verdicts hold for this configuration and these packages only.
    const key = ["eslint.config.mjs", "package-lock.json", "tsconfig.json", "scripts/check.mjs"]
        .map((f) => (fs.existsSync(path.join(root, f)) ? hashOf(path.join(root, f)) : "-"))
        .join(" ");
    let clean = {};
    const hashes = new Map();
    const currentHash = (f) => hashes.get(f) ?? hashes.set(f, hashOf(path.join(root, f))).get(f);
    try {
        const saved = JSON.parse(fs.readFileSync(lintFile, "utf8"));
        if (saved.key === key) clean = saved.files;
    } catch {
        // No earlier clean lint: every file is linted.
    }
    return {
        tsBuildInfoFile,

        /** Every file the lint covers: what git tracks or would track, that ESLint does not ignore. Undefined without git. */
        async lintedFiles(eslint) {
            let listed;
            try {
                listed = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
            } catch {
                return undefined;
            }
            const files = listed.split("\0").filter((f) => LINTED.test(f) && fs.existsSync(path.join(root, f)));
            const kept = await Promise.all(files.map(async (f) => ((await eslint.isPathIgnored(path.join(root, f))) ? undefined : f)));
            return kept.filter((f) => f !== undefined);
        },

        /** The files to lint now: the changed, the new and the type-affected ones (absolute paths). */
        toLint(files, affected) {
            return files.filter((f) => clean[f] !== currentHash(f) || affected(path.join(root, f)));
        },

        /** Remembers a clean run, or forgets everything after a run that found problems. */
        save(ok, files) {
            fs.mkdirSync(dir, { recursive: true });
            if (!ok || !files) {
                fs.rmSync(lintFile, { force: true });
                fs.rmSync(tsBuildInfoFile, { force: true });
                return;
            }
            // The hashes read before the lint: a file edited while it ran is linted again next time.
            fs.writeFileSync(lintFile, JSON.stringify({ key, files: Object.fromEntries(files.map((f) => [f, currentHash(f)])) }));
        },
    };
}
