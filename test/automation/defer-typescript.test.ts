import { spawnSync } from "node:child_process";
import { expect } from "chai";
import { REPO_ROOT } from "../harness";

/** In a fresh process: whether the compiler is loaded after the SDK, and after serializing a function. */
function loadsCompiler(deferred: boolean): { afterSdk: boolean; serialized: string; afterSerializing: boolean } {
    const script = `
        ${deferred ? 'require("./automation/defer-typescript.ts");' : ""}
        const pulumi = require("@pulumi/pulumi");
        const loaded = () => Object.keys(require.cache).some((f) => f.endsWith("/node_modules/typescript/lib/typescript.js"));
        const afterSdk = loaded();
        pulumi.runtime.serializeFunction(() => 6 * 7).then((s) => console.log(JSON.stringify({ afterSdk, serialized: s.text, afterSerializing: loaded() })));`;
    const run = spawnSync(process.execPath, ["--require", "./automation/typescript-sources.cjs", "-e", script], { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 });
    expect(run.status, run.stderr).to.equal(0);
    return JSON.parse(run.stdout) as { afterSdk: boolean; serialized: string; afterSerializing: boolean };
}

describe("Pulumi's SDK without its TypeScript compiler until something needs it (automation/defer-typescript.ts)", function () {
    this.timeout(60_000);

    it("the SDK alone loads the compiler; deferred, it loads when a function is serialized, which works as before", () => {
        const plain = loadsCompiler(false);
        const deferred = loadsCompiler(true);
        expect(plain.afterSdk).to.equal(true);
        expect(deferred.afterSdk).to.equal(false);
        expect(deferred.afterSerializing).to.equal(true);
        expect(deferred.serialized).to.include("6 * 7");
        expect(deferred.serialized).to.equal(plain.serialized);
    });
});
