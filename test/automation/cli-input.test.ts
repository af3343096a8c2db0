import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { parseDocument } from "yaml";
import { REPO_ROOT } from "../harness";
import { pavedArgs } from "../paved-binary";

/*
 * Inputs besides the stack files (issue #15): rings.yaml, CLI flags and arguments, the environment
 * the runner hands to Pulumi, the project's own files. Each bad one, through the real binary in a
 * child process: exactly one line on stderr, exit 2, no stack trace, the project folder untouched.
 */
const STACK_FRAME = /^\s+at .+\(.*:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;

interface BadInput {
    readonly what: string;
    readonly args: readonly string[];
    readonly env?: Readonly<Record<string, string | undefined>>;
    /** Files to write into the scratch project first. */
    readonly files?: Readonly<Record<string, string>>;
    /** What the one line must say. */
    readonly says: RegExp;
}

/** The shipped staging stack, handed to the Pulumi Kubernetes Operator by its file. */
const operatorOwnedStaging = (): string => {
    const doc = parseDocument(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.staging.yaml"), "utf8"));
    doc.setIn(["config", "paved:reconciler"], "operator");
    return doc.toString();
};

const CASES: readonly BadInput[] = [
    { what: "a PULUMI_BACKEND_URL that is not a URL (never echoed: it may hold credentials)", args: ["preview", "--stack", "dev"], env: { PULUMI_BACKEND_URL: "s3 bucket with hunter2" }, says: /^paved: PULUMI_BACKEND_URL is not a URL \(its value is not shown[^\n]*e\.g\. s3:\/\/acme-pulumi-state/ },
    { what: "a PULUMI_BACKEND_URL without a bucket and a passphrase file that is not there, both in one line", args: ["up", "--stack", "dev"], env: { PULUMI_BACKEND_URL: "s3:/state", PULUMI_CONFIG_PASSPHRASE_FILE: "/nonexistent/passphrase" }, says: /^paved: PULUMI_BACKEND_URL: got "s3:\/\/\/state": no bucket after s3:\/\/; .*; PULUMI_CONFIG_PASSPHRASE_FILE: got "\/nonexistent\/passphrase": no readable file there/ },
    { what: "typos in rings.yaml, with the closest key", args: ["deploy", "--ring", "default"], files: { "rings.yaml": "rings:\n  default:\n    stack: [dev]\n    gate: { probez: 3 }\n" }, says: /^paved: rings.yaml: rings.default.stacks: required, and missing; e\.g\. .*; rings.default.gate.probez: unknown key: did you mean probes\?; rings.default.stack: unknown key: did you mean stacks\?$/ },
    { what: "a --project without Pulumi.yaml", args: ["--project", "/nonexistent", "plan"], says: /^paved: got --project "\/nonexistent": no Pulumi.yaml there; name the folder of the project, e.g. --project .\/platform$/ },
    { what: "a concurrency of zero", args: ["up", "--all", "--concurrency", "0"], says: /^paved: got --concurrency "0": a positive whole number, e.g. --concurrency 4$/ },
    { what: "paved wake with a --until that is not a time", args: ["wake", "--stack", "dev", "--until", "7pm"], says: /^paved: got --until "7pm": a 24-hour time "HH:MM" in Europe\/Berlin, e\.g\. --until 18:00$/ },
    { what: "paved wake of a stack with no nodes of its own", args: ["wake", "--stack", "local"], says: /^paved: got --stack local: a local stack has no nodes of its own to wake; wake a regional stack, e\.g\. --stack dev$/ },
    { what: "`paved up` of a stack the Pulumi Kubernetes Operator owns, without --override-operator", args: ["up", "--stack", "staging"], files: { "Pulumi.staging.yaml": operatorOwnedStaging() }, says: /^paved: refusing to up staging: the Pulumi Kubernetes Operator reconciles it from Git \(paved:reconciler: operator in Pulumi\.staging\.yaml\), so two writers would fight; to apply from here anyway, with the operator paused meanwhile: paved up --stack staging --override-operator$/ },
    { what: "a stack file that is not YAML", args: ["plan", "dev"], files: { "Pulumi.dev.yaml": "config:\n  paved:cloud: [aws\n" }, says: /^dev: Pulumi.dev.yaml is not valid YAML: .* at line \d+, column \d+; e\.g\. quote values/ },
];

function run(project: string, c: BadInput): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const env: Record<string, string | undefined> = { ...process.env, PULUMI_CONFIG_PASSPHRASE: "test-only", PAVED_PROJECT_DIR: project, ...c.env };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
    return new Promise((resolve) => {
        const child = spawn(process.execPath, pavedArgs(c.args), { cwd: REPO_ROOT, env, timeout: 60_000 });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}

/** Every file under a folder with its content, to prove nothing was touched. */
function snapshot(dir: string): Record<string, string> {
    return Object.fromEntries(fs.readdirSync(dir, { recursive: true, withFileTypes: true }).map((e) => {
        const file = path.join(e.parentPath, e.name);
        return [path.relative(dir, file), e.isFile() ? fs.readFileSync(file, "utf8") : "<dir>"];
    }));
}

describe("bad input besides stack files: one line, exit 2, nothing touched (real binary)", function () {
    this.timeout(120_000);
    const projects: string[] = [];
    const results: { code: number | null; stdout: string; stderr: string; before: Record<string, string>; after: Record<string, string> }[] = [];

    before(async () => {
        // Three at a time (two cores): each case its own scratch project, so one case's files cannot mask another's.
        for (let i = 0; i < CASES.length; i += 3) {
            const batch = CASES.slice(i, i + 3).map(async (c) => {
                const project = fs.mkdtempSync(path.join(os.tmpdir(), "paved-input-"));
                projects.push(project);
                for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.local.yaml"]) fs.copyFileSync(path.join(REPO_ROOT, f), path.join(project, f));
                for (const [f, text] of Object.entries(c.files ?? {})) fs.writeFileSync(path.join(project, f), text);
                const before = snapshot(project);
                const result = await run(project, c);
                return { ...result, before, after: snapshot(project) };
            });
            results.push(...(await Promise.all(batch)));
        }
    });

    after(() => projects.forEach((p) => fs.rmSync(p, { recursive: true, force: true })));

    CASES.forEach((c, i) => {
        it(`refuses ${c.what}`, () => {
            const r = results[i];
            const lines = r.stderr.split("\n").filter((l) => l.trim() !== "");
            expect(lines, r.stderr).to.have.length(1);
            expect(lines[0]).to.match(c.says);
            expect(r.code).to.equal(2);
            expect(r.stdout).to.not.match(STACK_FRAME);
            expect(r.stderr).to.not.match(STACK_FRAME);
            expect(r.stderr).to.not.include("hunter2");
            expect(r.after).to.deep.equal(r.before);
        });
    });
});
