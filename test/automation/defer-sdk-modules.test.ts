import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { REPO_ROOT } from "../harness";
import { nodeFromSource } from "../node-from-source";

const DEFER = path.join(REPO_ROOT, "automation", "defer-sdk-modules.ts");
const SDK = path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi");

/** Runs `script` in a fresh process from `cwd` (the SDK loaded after automation/defer-sdk-modules.ts when `deferred`) and parses the JSON it prints. */
function inFreshProcess<T>(deferred: boolean, script: string, cwd: string): T {
    const program = `
        ${deferred ? `require(${JSON.stringify(DEFER)});` : ""}
        const pulumi = require(${JSON.stringify(SDK)});
        const loaded = (part) => Object.keys(require.cache).some((f) => f.includes(part));
        ${script}`;
    const run = nodeFromSource(program, { cwd });
    expect(run.status, run.stderr).to.equal(0);
    return JSON.parse(run.stdout) as T;
}

/**
 * What one fresh process loaded after the SDK and after serializing a function, what it then got from
 * requiring arborist itself (before the SDK used it), and the code paths the SDK then computed.
 */
interface Run {
    afterSdk: { compiler: boolean; arborist: boolean };
    serialized: string;
    afterSerializing: { compiler: boolean; arborist: boolean };
    /** What anyone else in the process gets from require("@npmcli/arborist"), e.g. a team's program. */
    required: { type: string; constructs: boolean };
    paths: string[];
}

const SCRIPT = `
    const now = () => ({ compiler: loaded("/node_modules/typescript/lib/typescript.js"), arborist: loaded("/node_modules/@npmcli/arborist/") });
    const afterSdk = now();
    (async () => {
        const serialized = (await pulumi.runtime.serializeFunction(() => 6 * 7)).text;
        const afterSerializing = now();
        // By name, as a program beside the SDK would: the module loader is asked for "@npmcli/arborist".
        const Arborist = require("node:module").createRequire(${JSON.stringify(path.join(SDK, "package.json"))})("@npmcli/arborist");
        const required = { type: typeof Arborist, constructs: typeof new Arborist({ path: "." }).loadActual === "function" };
        const paths = [...(await pulumi.runtime.computeCodePaths()).keys()];
        console.log(JSON.stringify({ afterSdk, serialized, afterSerializing, required, paths }));
    })();`;

describe("Pulumi's SDK without the modules paved never uses, until something needs them (automation/defer-sdk-modules.ts)", function () {
    this.timeout(60_000);
    let project: string;
    let plain: Run;
    let deferred: Run;

    before(() => {
        // A project with one dependency of its own, which computeCodePaths must find through arborist.
        project = fs.mkdtempSync(path.join(os.tmpdir(), "paved-code-paths-"));
        fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", dependencies: { left: "1.0.0" } }));
        fs.mkdirSync(path.join(project, "node_modules", "left"), { recursive: true });
        fs.writeFileSync(path.join(project, "node_modules", "left", "package.json"), JSON.stringify({ name: "left", version: "1.0.0" }));
        fs.writeFileSync(path.join(project, "node_modules", "left", "index.js"), "module.exports = 1;\n");
        plain = inFreshProcess<Run>(false, SCRIPT, project);
        deferred = inFreshProcess<Run>(true, SCRIPT, project);
    });
    after(() => fs.rmSync(project, { recursive: true, force: true }));

    it("the SDK alone loads the TypeScript compiler and npm's arborist; deferred, neither", () => {
        expect(plain.afterSdk).to.deep.equal({ compiler: true, arborist: true });
        expect(deferred.afterSdk).to.deep.equal({ compiler: false, arborist: false });
    });

    it("deferred, the compiler loads when a function is serialized, which works as before", () => {
        expect(deferred.afterSerializing).to.deep.equal({ compiler: true, arborist: false });
        expect(deferred.serialized).to.include("6 * 7");
        expect(deferred.serialized).to.equal(plain.serialized);
    });

    it("anyone else requiring arborist, as a team's program may, gets arborist itself: its export is the Arborist class", () => {
        expect(plain.required).to.deep.equal({ type: "function", constructs: true });
        expect(deferred.required).to.deep.equal(plain.required);
    });

    it("deferred, the SDK computes a function's code paths through its stand-in, with the same answer", () => {
        expect(deferred.paths).to.deep.equal(["node_modules/left"]);
        expect(deferred.paths).to.deep.equal(plain.paths);
    });
});
