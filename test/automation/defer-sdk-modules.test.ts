import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { REPO_ROOT } from "../harness";

const DEFER = path.join(REPO_ROOT, "automation", "defer-sdk-modules.ts");
const SDK = path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi");

/** Runs `script` in a fresh process from `cwd` (the SDK loaded after automation/defer-sdk-modules.ts when `deferred`) and parses the JSON it prints. */
function inFreshProcess<T>(deferred: boolean, script: string, cwd = REPO_ROOT): T {
    const program = `
        ${deferred ? `require(${JSON.stringify(DEFER)});` : ""}
        const pulumi = require(${JSON.stringify(SDK)});
        const loaded = (part) => Object.keys(require.cache).some((f) => f.includes(part) && !f.endsWith("/@npmcli/arborist/lib/index.js"));
        ${script}`;
    const run = spawnSync(process.execPath, ["--require", path.join(REPO_ROOT, "automation", "typescript-sources.cjs"), "-e", program], { cwd, encoding: "utf8", timeout: 60_000 });
    expect(run.status, run.stderr).to.equal(0);
    return JSON.parse(run.stdout) as T;
}

describe("Pulumi's SDK without the modules paved never uses, until something needs them (automation/defer-sdk-modules.ts)", function () {
    this.timeout(60_000);

    it("the SDK alone loads the TypeScript compiler; deferred, it loads when a function is serialized, which works as before", () => {
        const script = `
            const afterSdk = loaded("/node_modules/typescript/lib/typescript.js");
            pulumi.runtime.serializeFunction(() => 6 * 7).then((s) => console.log(JSON.stringify({ afterSdk, serialized: s.text, afterSerializing: loaded("/node_modules/typescript/lib/typescript.js") })));`;
        type Run = { afterSdk: boolean; serialized: string; afterSerializing: boolean };
        const plain = inFreshProcess<Run>(false, script);
        const deferred = inFreshProcess<Run>(true, script);
        expect(plain.afterSdk).to.equal(true);
        expect(deferred.afterSdk).to.equal(false);
        expect(deferred.afterSerializing).to.equal(true);
        expect(deferred.serialized).to.include("6 * 7");
        expect(deferred.serialized).to.equal(plain.serialized);
    });

    it("the SDK alone loads npm's arborist; deferred, it loads when a function's code paths are computed, with the same answer", () => {
        // A project with one dependency of its own, which computeCodePaths must find through arborist.
        const project = fs.mkdtempSync(path.join(os.tmpdir(), "paved-code-paths-"));
        try {
            fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", dependencies: { left: "1.0.0" } }));
            fs.mkdirSync(path.join(project, "node_modules", "left"), { recursive: true });
            fs.writeFileSync(path.join(project, "node_modules", "left", "package.json"), JSON.stringify({ name: "left", version: "1.0.0" }));
            fs.writeFileSync(path.join(project, "node_modules", "left", "index.js"), "module.exports = 1;\n");
            const script = `
                const afterSdk = loaded("/node_modules/@npmcli/arborist/");
                pulumi.runtime.computeCodePaths().then((paths) => console.log(JSON.stringify({ afterSdk, paths: [...paths.keys()], afterComputing: loaded("/node_modules/@npmcli/arborist/") })));`;
            type Run = { afterSdk: boolean; paths: string[]; afterComputing: boolean };
            const plain = inFreshProcess<Run>(false, script, project);
            const deferred = inFreshProcess<Run>(true, script, project);
            expect(plain.afterSdk).to.equal(true);
            expect(deferred.afterSdk).to.equal(false);
            expect(deferred.afterComputing).to.equal(true);
            expect(deferred.paths).to.deep.equal(["node_modules/left"]);
            expect(deferred.paths).to.deep.equal(plain.paths);
        } finally {
            fs.rmSync(project, { recursive: true, force: true });
        }
    });
});
