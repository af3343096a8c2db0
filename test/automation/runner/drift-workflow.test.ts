import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { CronExpressionParser } from "cron-parser";
import { parse } from "yaml";
import { MemoryDriver } from "../../../automation/driver/memory-driver";
import { REPO_ROOT } from "../../harness";
import { FLEET, callsOf, paved, projectWith, repoStacks } from "./paved";

interface Step { uses?: string; run?: string; if?: string; shell?: string; with?: Record<string, unknown>; env?: Record<string, string> }
const FILE = path.join(REPO_ROOT, ".github/workflows/drift-nightly.yml");
const text = fs.readFileSync(FILE, "utf8");
const workflow = parse(text) as {
    on: { schedule: { cron: string }[] };
    permissions: Record<string, string>;
    jobs: { drift: { steps: Step[] } };
};
const steps = workflow.jobs.drift.steps;
const driftStep = steps.find((s) => s.run?.includes("dist/automation/cli.js drift"))!;

/** The `paved` arguments of the step's `node dist/automation/cli.js … | tee …` command line. */
function pavedArgs(run: string): string[] {
    const words = run.split("|")[0].trim().split(/\s+/);
    return words.slice(words.indexOf("dist/automation/cli.js") + 1).filter((w) => w !== "2>&1");
}

describe("the nightly drift workflow (GitHub Actions)", () => {
    it("runs every night", () => {
        const runs = CronExpressionParser.parse(workflow.on.schedule[0].cron, { currentDate: new Date("2026-12-03T12:00:00Z"), tz: "UTC" }).take(3).map((d) => d.toISOString());
        expect(runs).to.deep.equal(["2026-12-04T02:30:00.000Z", "2026-12-05T02:30:00.000Z", "2026-12-06T02:30:00.000Z"]);
    });

    it("gets short-lived credentials for both clouds through OIDC and stores no key", () => {
        expect(workflow.permissions).to.deep.equal({ "id-token": "write", contents: "read" });
        const aws = steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"))!;
        expect(aws.with).to.include.keys("role-to-assume");
        expect(aws.with).to.not.have.any.keys("aws-access-key-id", "aws-secret-access-key");
        const gcp = steps.find((s) => s.uses?.startsWith("google-github-actions/auth"))!;
        expect(gcp.with).to.have.all.keys("workload_identity_provider", "service_account");
        expect(text).to.not.match(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID|credentials_json|GOOGLE_APPLICATION_CREDENTIALS|private_key/);
        // The only secret is the stack passphrase, from the environment's secrets.
        expect([...text.matchAll(/secrets\.(\w+)/g)].map((m) => m[1])).to.deep.equal(["PULUMI_CONFIG_PASSPHRASE"]);
    });

    it("runs paved drift --all --auto-fix, failing the job with paved's exit code although the report is teed", () => {
        expect(pavedArgs(driftStep.run!)).to.deep.equal(["drift", "--all", "--auto-fix"]);
        // GitHub runs `shell: bash` as bash -eo pipefail: the pipeline's status is paved's, not tee's.
        expect(driftStep.shell).to.equal("bash");
        expect(driftStep.run).to.match(/\| tee drift-report\.txt$/);
    });

    it("keeps the report as an artifact and on the run's page, whatever the outcome", () => {
        const upload = steps.find((s) => s.uses?.startsWith("actions/upload-artifact"))!;
        expect(upload).to.deep.include({ if: "always()" });
        expect(upload.with).to.include({ path: "drift-report.txt" });
        const summary = steps.find((s) => s.run?.includes("GITHUB_STEP_SUMMARY"))!;
        expect(summary.if).to.equal("always()");
    });

    it("the command it runs checks every environment stack, fixes dev and staging, and exits 3 on production drift", async () => {
        const args = pavedArgs(driftStep.run!);
        const finding = (stack: string) => ({ kind: "drift" as const, findings: [{ urn: `urn:pulumi:${stack}::paved::aws:ec2/securityGroup:SecurityGroup::nodes`, type: "aws:ec2/securityGroup:SecurityGroup", property: "ingress[7]", deployed: undefined, live: { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] } }] });
        const driver = new MemoryDriver(repoStacks(), new Map([["staging", [finding("staging")]], ["prod-us-west-2", [finding("prod-us-west-2")]]]), 1);
        // Every stack paved's here; the operator's stacks are judged from its status (drift.test.ts).
        const { code, out } = await paved(args, { driver, projectDir: projectWith([]), retry: { retries: 0, backoffMs: 1 } });
        expect(code).to.equal(3);
        expect([...new Set(callsOf(driver).filter(([, op]) => op === "previewRefresh").map(([s]) => s))].sort()).to.deep.equal(FLEET);
        expect(callsOf(driver).filter(([, op]) => op === "up").map(([s]) => s)).to.deep.equal(["staging"]);
        expect(out).to.include("prod-us-west-2: not fixed: auto-fix is off for this environment (drift.yaml); to fix it: paved drift --stack prod-us-west-2 --fix");
    });
});
