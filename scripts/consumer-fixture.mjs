#!/usr/bin/env node
// `npm run test:consumer`: paved-road as a product team gets it. Builds and packs the library,
// installs the tarball into a fresh project outside the checkout (test/consumer/: an AWS-only team,
// Pulumi's own TypeScript template settings) with the newest @pulumi/pulumi that runs on this Node,
// then checks what a team would meet: one copy of the SDK, no GCP SDK, the program type-checks, its
// mocha test runs it under paved-road/testing and the policy pack judges it, and `paved --version`.
// Not part of `npm test` (it installs from the registry, through npm's cache); CI runs it. The temporary
// project and the tarball are removed whatever happens. PAVED_CONSUMER_PULUMI=<version> picks the SDK.
import { execFileSync } from "node:child_process";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import semver from "semver";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const QUIET = ["--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"];
const started = Date.now();

function run(command, args, cwd, options = {}) {
    return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20, ...options });
}

function step(title, body) {
    const t = Date.now();
    try {
        const note = body();
        console.log(`✔ ${title}${note ? `: ${note}` : ""} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    } catch (e) {
        console.log(`✘ ${title}`);
        throw e;
    }
}

/** The newest @pulumi/pulumi 3.x whose declared engines this Node satisfies (3.249 and later want Node 22). */
function newestPulumiForThisNode() {
    const versions = JSON.parse(run(npm, ["view", `@pulumi/pulumi@>=${semver.minVersion(manifest.peerDependencies["@pulumi/pulumi"])} <4`, "version", "engines", "--json", "--prefer-offline"], root));
    const runnable = [versions].flat().filter((v) => !v.engines?.node || semver.satisfies(process.version, v.engines.node)).map((v) => v.version);
    assert.ok(runnable.length > 0, `no @pulumi/pulumi in ${manifest.peerDependencies["@pulumi/pulumi"]} runs on Node ${process.version}`);
    return semver.rsort(runnable)[0];
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "paved-consumer-"));
const project = path.join(work, "team-a-platform");
try {
    step("npm run build", () => void run(npm, ["run", "build"], root));
    let tarball;
    step("npm pack", () => {
        const [pack] = JSON.parse(run(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", work], root));
        tarball = path.join(work, pack.filename);
        return `${pack.filename}, ${pack.entryCount} files, ${(pack.size / 1024).toFixed(0)} kB`;
    });

    let pulumi = process.env.PAVED_CONSUMER_PULUMI;
    if (!pulumi) step("the newest @pulumi/pulumi for this Node (npm view)", () => (pulumi = newestPulumiForThisNode()));
    fs.cpSync(path.join(root, "test", "consumer"), project, { recursive: true });
    const dev = manifest.devDependencies;
    const pick = (names) => Object.fromEntries(names.map((n) => [n, dev[n]]));
    fs.writeFileSync(path.join(project, "package.json"), `${JSON.stringify({
        name: "team-a-platform",
        version: "1.0.0",
        private: true,
        main: "bin/index.js",
        // What the team imports; npm adds the required peers (@pulumi/kubernetes, @pulumi/policy) itself.
        dependencies: { "paved-road": `file:${tarball}`, "@pulumi/pulumi": pulumi, ...pick(["@pulumi/aws", "@pulumi/vault"]) },
        devDependencies: pick(["typescript", "mocha", "@types/mocha", "@types/node"]),
    }, undefined, 2)}\n`);
    // --engine-strict: any installed package whose declared Node range excludes this Node fails the install.
    step(`npm install (Node ${process.version}, @pulumi/pulumi ${pulumi})`, () => void run(npm, ["install", "--engine-strict", ...QUIET], project));

    step("one @pulumi/pulumi in the tree (npm ls), under the project itself", () => {
        const copies = new Map();
        const walk = (node, where) => {
            for (const [name, child] of Object.entries(node.dependencies ?? {})) {
                if (name === "@pulumi/pulumi") copies.set(child.resolved ?? child.version, [...(copies.get(child.resolved ?? child.version) ?? []), where]);
                walk(child, `${where} > ${name}`);
            }
        };
        walk(JSON.parse(run(npm, ["ls", "@pulumi/pulumi", "--all", "--json"], project)), "team-a-platform");
        const found = execFileSync("find", ["node_modules", "-path", "*/@pulumi/pulumi/package.json"], { cwd: project, encoding: "utf8" }).trim().split("\n");
        assert.deepEqual(found, ["node_modules/@pulumi/pulumi/package.json"]);
        assert.equal(copies.size, 1, `copies: ${JSON.stringify([...copies])}`);
        const version = JSON.parse(fs.readFileSync(path.join(project, found[0]), "utf8")).version;
        assert.equal(version, pulumi);
        return `${version}, required by ${[...copies.values()][0].length} packages`;
    });

    step("an AWS-only team installs no GCP SDK", () => {
        assert.equal(fs.existsSync(path.join(project, "node_modules", "@pulumi", "gcp")), false);
        assert.equal(fs.existsSync(path.join(project, "node_modules", "@pulumi", "aws")), true);
    });

    step("the team's program type-checks (tsc, the template's settings), and no declaration it reads asks for @pulumi/gcp", () => {
        const trace = run(path.join(project, "node_modules", ".bin", "tsc"), ["-p", ".", "--traceResolution"], project, { maxBuffer: 1 << 30 });
        const askedForGcp = trace.split("\n").filter((l) => l.startsWith("======== Resolving module '@pulumi/gcp"));
        assert.deepEqual(askedForGcp, []);
        const paved = new Set(trace.match(/node_modules\/paved-road\/dist\/[\w/.-]+\.d\.ts/g));
        assert.ok(paved.size > 10, `${paved.size} paved-road declarations read`);
        return `${paved.size} paved-road declaration files read`;
    });

    step("its mocha test runs the stack under paved-road/testing and the policy pack judges it", () =>
        run(path.join(project, "node_modules", ".bin", "mocha"), ["--timeout", "120000", "bin/test/team.spec.js"], project).trim().split("\n").filter((l) => /passing|failing/.test(l)).join(", ").trim());

    step("paved --version (the installed binary)", () => {
        const out = run(path.join(project, "node_modules", ".bin", "paved"), ["--version"], project);
        assert.equal(out, `${manifest.version}\n`);
        return out.trim();
    });
} finally {
    const t = Date.now();
    // rm -rf: Node's fs.rmSync takes several times as long over @pulumi/aws's tens of thousands of files.
    execFileSync("rm", ["-rf", work]);
    console.log(`  removed ${work} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
}
console.log(`consumer fixture passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
