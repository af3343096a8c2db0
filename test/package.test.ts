import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import * as semver from "semver";
import * as ts from "typescript";
import { teamCluster } from "./fixtures/consumer";
import { REPO_ROOT, one, runProgram } from "./harness";
import { UPSTREAM_DIR } from "./upstream";

interface Manifest {
    version: string;
    engines?: { node: string };
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

describe("the paved-road package", () => {
    it("resolves each entry by name to the built code, exporting just the team API", () => {
        const entries = ["paved-road", "paved-road/aws", "paved-road/gcp", "paved-road/testing", "paved-road/policy"];
        const script = `console.log(JSON.stringify(${JSON.stringify(entries)}.map((e) => [require.resolve(e), Object.keys(require(e)).sort()])))`;
        const out = JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: REPO_ROOT, encoding: "utf8" })) as [string, string[]][];
        expect(out.map(([file]) => path.relative(REPO_ROOT, file))).to.deep.equal([
            "dist/index.js", "dist/aws.js", "dist/gcp.js", "dist/testing/index.js", "dist/policy/exports.js",
        ]);
        const neutral = [
            "GRAFANA_ADMIN", "GitOps", "HealthEndpoint", "InfraGitOps", "OBSERVABILITY_NAMESPACE", "ObservabilityStack", "PrEnvironments", "ProgressiveDelivery", "VaultSecrets", "WorkloadSchedule", "awsTags", "costReport", "gcpLabels", "platformVaultApps", "withPodAnnotations",
        ];
        const aws = ["ClusterAutoscaler", "EksCluster", "EksSpotNodePool", "Route53Failover"];
        const gcp = ["CloudDnsFailover", "GkeCluster", "GkeSpotNodePool"];
        const [root, awsEntry, gcpEntry, testing, policy] = out.map(([, names]) => names);
        expect(root).to.deep.equal([...neutral, ...aws, ...gcp].sort());
        expect(awsEntry).to.deep.equal([...neutral, ...aws].sort());
        expect(gcpEntry).to.deep.equal([...neutral, ...gcp].sort());
        expect(testing).to.deep.equal(["OfflineMocks", "Recorder", "StackEvaluationError", "checkPolicies", "evaluateProgram", "evaluateStack", "isSecret", "reveal"]);
        expect(policy).to.deep.equal(["PLATFORM_POLICIES", "POLICY_PACK_DIR", "policyPackConfig"]);
    });

    it("loads a cloud's SDK only for that cloud: paved-road/aws never @pulumi/gcp, paved-road/gcp never @pulumi/aws, the root neither until a cloud component is read", async () => {
        // Each probe is a fresh process (an empty module cache); the two run side by side.
        const probe = (body: string) =>
            new Promise<unknown>((resolve, reject) => {
                const script = `const sdks = () => ["aws", "gcp"].filter((sdk) => Object.keys(require.cache).some((f) => f.includes("/node_modules/@pulumi/" + sdk + "/")));
                    ${body}`;
                execFile(process.execPath, ["-e", script], { cwd: REPO_ROOT, encoding: "utf8" }, (err, stdout) => (err ? reject(new Error(`probe failed: ${err.message}`)) : resolve(JSON.parse(stdout))));
            });
        const [aws, gcp] = await Promise.all([
            probe(`const lib = require("paved-road"); const root = sdks();
                require("paved-road/testing"); require("paved-road/policy"); const tools = sdks();
                require("paved-road/aws"); const awsEntry = sdks();
                const isClass = typeof lib.EksCluster === "function" && lib.EksCluster.name === "EksCluster";
                console.log(JSON.stringify({ root, tools, awsEntry, isClass, afterEksCluster: sdks() }))`),
            // The paved CLI loads the platform's program (both clouds' stacks) before any stack is chosen.
            probe(`require("paved-road/gcp"); require("./dist/automation/plan/plan-command"); require("./dist/automation/runner/wake"); console.log(JSON.stringify(sdks()))`),
        ]);
        expect(aws).to.deep.equal({ root: [], tools: [], awsEntry: ["aws"], isClass: true, afterEksCluster: ["aws"] });
        expect(gcp).to.deep.equal(["gcp"]);
    });

    it("documents every export of every entry (its declaration has a doc comment)", () => {
        const entries = ["index", "aws", "gcp", "testing/index", "policy/exports"].map((e) => path.join(REPO_ROOT, "dist", `${e}.d.ts`));
        // Our own declarations only: what is under node_modules is read as an empty module, which keeps this cheap.
        const options: ts.CompilerOptions = { noEmit: true, types: [] };
        const host = ts.createCompilerHost(options);
        const read = host.getSourceFile.bind(host);
        host.getSourceFile = (file, language, ...rest) =>
            file.includes(`${path.sep}node_modules${path.sep}`) && !file.includes(`${path.sep}typescript${path.sep}lib${path.sep}`) ? ts.createSourceFile(file, "export {};", language) : read(file, language, ...rest);
        const program = ts.createProgram(entries, options, host);
        const checker = program.getTypeChecker();
        const undocumented = entries.flatMap((entry) => {
            const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)!)!);
            expect(exported.length, entry).to.be.greaterThan(2);
            return exported
                .filter((s) => ts.displayPartsToString((s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s).getDocumentationComment(checker)).trim() === "")
                .map((s) => `${path.relative(REPO_ROOT, entry)}: ${s.name}`);
        });
        expect(undocumented).to.deep.equal([]);
    });

    it("runs a consumer's program built on the published entry", async () => {
        const run = await runProgram(() => {
            teamCluster();
        });
        expect(one(run.resources, "paved:cluster:EksCluster").name).to.equal("team");
        expect(one(run.resources, "aws:eks/cluster:Cluster").parent).to.match(/paved:cluster:EksCluster::team$/);
    });

    it("prints its version with paved --version (the built binary, as a child process)", () => {
        const out = execFileSync(process.execPath, [path.join(REPO_ROOT, "dist", "automation", "cli.js"), "--version"], { cwd: REPO_ROOT, encoding: "utf8" });
        expect(out).to.equal("0.1.0\n");
    });

    it("ships declarations next to the code, so a consumer type-checks against it", () => {
        const aws = fs.readFileSync(path.join(REPO_ROOT, "dist", "aws.d.ts"), "utf8");
        expect(aws).to.match(/^export \* from "\.\/components\/aws";$/m);
        const eks = fs.readFileSync(path.join(REPO_ROOT, "dist", "components", "cluster", "eks-cluster.d.ts"), "utf8");
        expect(eks).to.match(/export declare class EksCluster extends pulumi\.ComponentResource/);
        expect(eks).to.match(/constructor\(name: string, args: EksClusterArgs, opts\?: pulumi\.ComponentResourceOptions\)/);
    });

    it("imports @pulumi/aws, @pulumi/gcp and @pulumi/vault per service, never their root (which makes the type-check parse every service)", () => {
        const config = ts.getParsedCommandLineOfConfigFile(path.join(REPO_ROOT, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
        expect(config.fileNames.length).to.be.greaterThan(100);
        // Imports, re-exports and import() as TypeScript reads them; a plain require() (cloud-sdk.ts) it does not resolve.
        const rootImports = config.fileNames.flatMap((f) =>
            ts.preProcessFile(fs.readFileSync(f, "utf8"), true, false).importedFiles
                .filter((i) => /^@pulumi\/(aws|gcp|vault)$/.test(i.fileName))
                .map((i) => `${path.relative(REPO_ROOT, f)} imports ${i.fileName}`),
        );
        expect(rootImports).to.deep.equal([]);
    });

    it("packs the built library, its declarations and the policy pack, and nothing internal", () => {
        const [pack] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: REPO_ROOT, encoding: "utf8" })) as { files: { path: string }[] }[];
        const files = pack.files.map((f) => f.path);
        // model-validators/: the generated validators of the kinds whose packages would compile their schemas at runtime.
        const validators = ["argoproj.io.v1alpha1.AnalysisTemplate", "argoproj.io.v1alpha1.Rollout", "gateway.networking.k8s.io.v1.Gateway", "gateway.networking.k8s.io.v1.GatewayClass", "gateway.networking.k8s.io.v1.HTTPRoute", "index"];
        expect(files.filter((f) => !f.startsWith("dist/")).sort()).to.deep.equal([
            "LICENSE", "README.md", ...validators.flatMap((v) => [`model-validators/${v}.d.ts`, `model-validators/${v}.js`]), "package.json", "policy-pack/PulumiPolicy.yaml", "policy-pack/package.json",
        ]);
        expect(files).to.include.members([
            "dist/index.js", "dist/index.d.ts", "dist/aws.js", "dist/aws.d.ts", "dist/gcp.js", "dist/gcp.d.ts",
            "dist/testing/index.js", "dist/testing/index.d.ts", "dist/policy/exports.js", "dist/policy/exports.d.ts",
            "dist/policy/index.js", "dist/automation/cli.js", "dist/stacks/program.js",
        ]);
        // Built code and its declarations only: no source maps (their sources are not shipped), no build state.
        expect(files.filter((f) => f.startsWith("dist/") && !/\.(js|d\.ts)$/.test(f))).to.deep.equal([]);
        const internal = /^dist\/(test\/|automation\/bench[./]|automation\/drill\/bench-drill\.|policy\/generate-taggable-types\.|components\/model-validation\/generate-validators\.|stacks\/index\.)/;
        expect(files.filter((f) => internal.test(f))).to.deep.equal([]);
        expect(files.filter((f) => f.endsWith(".js") && !files.includes(f.replace(/\.js$/, ".d.ts")))).to.deep.equal([]);
    });

    it("ships the policy pack folder Pulumi loads: the compiled pack as its main, at the package's version", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as Manifest;
        const pack = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "policy-pack", "package.json"), "utf8")) as Manifest & { main: string };
        expect(pack.version).to.equal(pkg.version);
        expect(path.relative(REPO_ROOT, path.resolve(REPO_ROOT, "policy-pack", pack.main))).to.equal(path.join("dist", "policy", "index.js"));
        expect(fs.existsSync(path.join(REPO_ROOT, "dist", "policy", "index.js"))).to.equal(true);
    });

    it("takes the Pulumi SDKs as peers (clouds optional), and this repository builds and tests at each range's oldest end", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as Manifest;
        const peers = Object.keys(pkg.peerDependencies ?? {});
        expect(peers).to.deep.equal(["@pulumi/aws", "@pulumi/gcp", "@pulumi/kubernetes", "@pulumi/policy", "@pulumi/pulumi", "@pulumi/vault"]);
        expect(Object.keys(pkg.peerDependenciesMeta ?? {}).filter((p) => pkg.peerDependenciesMeta?.[p].optional)).to.deep.equal(["@pulumi/aws", "@pulumi/gcp"]);
        // A peer is never also a regular dependency: that is how a second copy of the SDK gets nested under paved-road.
        expect(peers.filter((p) => p in (pkg.dependencies ?? {}))).to.deep.equal([]);
        const installed = peers.map((p) => [p, (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules", p, "package.json"), "utf8")) as Manifest).version]);
        // @pulumi/policy writes its own version with a "v" (v1.21.0): compared as semver reads it.
        installed.forEach((entry) => (entry[1] = semver.clean(entry[1])!));
        expect(peers.map((p) => [p, semver.minVersion(pkg.peerDependencies![p])?.version])).to.deep.equal(installed);
    });

    it("declares the Node versions its dependencies declare: the oldest it allows satisfies every installed runtime dependency", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as Manifest;
        const lock = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, Manifest & { dev?: boolean }> };
        const oldest = semver.minVersion(pkg.engines!.node)!.version;
        expect(oldest).to.equal("20.19.0");
        const runtime = Object.entries(lock.packages).filter(([where, p]) => where !== "" && !p.dev && p.engines?.node);
        expect(runtime.map(([where]) => where)).to.include("node_modules/@kubernetes-models/keda");
        expect(runtime.filter(([, p]) => !semver.satisfies(oldest, p.engines!.node)).map(([where, p]) => `${where} wants node ${p.engines!.node}`)).to.deep.equal([]);
    });

    it("is self-contained: no tracked file outside *.md reads a folder beside the clone", () => {
        // Written so that this file does not match itself: "..", a slash, "shared"; the old override variable.
        const outside = new RegExp(String.raw`\.\.[/\\]shared\b|PAVED_UPSTREAM_` + "DIR");
        const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: REPO_ROOT, encoding: "utf8" }).split("\0").filter((f) => f && !f.endsWith(".md"));
        expect(tracked).to.include.members(["test/upstream.ts", ".ci/run", "package.json"]);
        const readers = tracked.filter((f) => fs.existsSync(path.join(REPO_ROOT, f)) && outside.test(fs.readFileSync(path.join(REPO_ROOT, f), "utf8")));
        expect(readers).to.deep.equal([]);
        expect(path.relative(REPO_ROOT, UPSTREAM_DIR)).to.equal(path.join("vendor", "upstream"));
    });

    it("vendors a licence for every upstream repository its chart and CRD copies come from", () => {
        const sources = fs.readFileSync(path.join(UPSTREAM_DIR, "SOURCES.md"), "utf8");
        // The "Source repo" column of every table above the licences' own section.
        const repos = new Set<string>();
        let column = -1;
        for (const line of sources.slice(0, sources.indexOf("## Licences")).split("\n")) {
            const cells = line.split("|").map((c) => c.trim());
            if (!line.startsWith("|")) column = -1;
            else if (cells.includes("Source repo")) column = cells.indexOf("Source repo");
            else if (column > 0 && !cells[column].startsWith("---")) repos.add(cells[column]);
        }
        expect(repos).to.include("prometheus-community/helm-charts").and.include("hashicorp/vault-secrets-operator");
        expect(repos.size).to.equal(14);
        const missing = [...repos].filter((repo) => !/License|LICENSE|Licence/.test(fs.readFileSync(path.join(UPSTREAM_DIR, "licenses", `${repo}.txt`), { encoding: "utf8", flag: "r" }).slice(0, 4000)));
        expect(missing).to.deep.equal([]);
    });
});
