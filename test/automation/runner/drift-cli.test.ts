import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { PlatformFirewalls } from "../../../components/cluster/security-groups";
import { FirewallWorld, deployedFirewalls } from "../../../automation/driver/firewall-world";
import { TEST_WORLD_ENV, TestWorldFile } from "../../../automation/driver/test-world";
import { REPO_ROOT, runStack } from "../../harness";
import { projectWith, repoStacks } from "./paved";
import { pavedArgs } from "../../paved-binary";

/*
 * The exit-code promises of `paved drift`, through the real binary in a child process. It drives a
 * persisted in-memory world (PAVED_TEST_WORLD, test only: automation/driver/test-world.ts), so the
 * test changes the "cloud" in the file between runs, as someone in the console would.
 */

const STACK_FRAME = /^\s+at .+\(.*:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;
const REVERTED = "Re-applying state from Git. Manual change reverted.";

/** Every stack paved's: these are the refresh-based checks (the operator's stacks are judged from its status, drift.test.ts). */
const PAVED_ONLY = projectWith([]);

function pavedBinary(worldFile: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, pavedArgs(args), {
        cwd: REPO_ROOT,
        encoding: "utf8",
        env: { ...process.env, [TEST_WORLD_ENV]: worldFile, PAVED_PROJECT_DIR: PAVED_ONLY },
        timeout: 60_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const readWorld = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as TestWorldFile;
const writeWorld = (file: string, data: TestWorldFile) => fs.writeFileSync(file, JSON.stringify(data));

/** Someone opens port 22 to the world on the stack's node security group. */
function openSsh(file: string, stack: string): void {
    const data = readWorld(file);
    const world = new FirewallWorld(data);
    const scope = world.outputs(stack).firewalls as PlatformFirewalls;
    if (scope.cloud !== "aws") throw new Error(`${stack} is not an AWS stack`);
    const nodes = scope.groups.find((g) => g.name.includes("-nodes-sg"))!;
    world.cloud.rules.push(world.ec2Rule(nodes.id, false, { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }));
    writeWorld(file, { ...world.toJSON(), stacks: data.stacks });
}

const port22 = (file: string) => readWorld(file).securityGroupRules.filter((r) => r.FromPort === 22).length;

describe("paved drift, the binary (child process, persisted in-memory world)", function () {
    // Each run of the binary starts Node and the Pulumi SDK: seconds, more under a parallel suite.
    this.timeout(120_000);
    let dir: string;
    let file: string;
    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-drift-"));
        file = path.join(dir, "world.json");
        const deployed = {
            dev: deployedFirewalls(await runStack("dev")),
            "prod-us-east-1": deployedFirewalls(await runStack("prod-us-east-1")),
        };
        writeWorld(file, { ...FirewallWorld.deployedAs(deployed).toJSON(), stacks: [...repoStacks()] });
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("exits 3 naming the rule opened in the console, then --fix reverts it (exit 0), and the next check is clean", () => {
        openSsh(file, "dev");
        const check = pavedBinary(file, ["drift", "--stack", "dev"]);
        expect(check.code).to.equal(3);
        expect(check.stdout).to.include("      ingress[7]: (absent) → tcp 22 from 0.0.0.0/0");
        expect(check.stdout).to.match(/ {2}unmanaged: sgr-\d+ in paved-dev-nodes-sg-\w+ \(paved-dev-nodes-sg-\w+\): ingress tcp 22 from 0\.0\.0\.0\/0/);
        expect(check.stdout + check.stderr).to.not.match(STACK_FRAME);

        const fix = pavedBinary(file, ["drift", "--stack", "dev", "--fix"]);
        expect(fix.code).to.equal(0);
        expect(fix.stdout).to.include(`dev: aws:ec2/securityGroup:SecurityGroup paved-dev-nodes-sg: ${REVERTED}`);
        expect(port22(file)).to.equal(0);
        expect(pavedBinary(file, ["drift", "--stack", "dev"]).code).to.equal(0);
    });

    it("--auto-fix puts dev back but only reports production (drift.yaml), so the nightly job fails with exit 3", () => {
        openSsh(file, "dev");
        openSsh(file, "prod-us-east-1");
        expect(port22(file)).to.equal(2);
        const nightly = pavedBinary(file, ["drift", "--all", "--auto-fix"]);
        expect(nightly.code).to.equal(3);
        expect(nightly.stdout).to.include(`dev: aws:ec2/securityGroup:SecurityGroup paved-dev-nodes-sg: ${REVERTED}`);
        expect(nightly.stdout).to.include("prod-us-east-1: not fixed: auto-fix is off for this environment (drift.yaml); to fix it: paved drift --stack prod-us-east-1 --fix");
        expect(port22(file)).to.equal(1);
    });

    it("refuses --dry-run without --fix: exit 2, one clear line, no stack trace, nothing touched", () => {
        const before = fs.readFileSync(file, "utf8");
        const r = pavedBinary(file, ["drift", "--stack", "dev", "--dry-run"]);
        expect(r.code).to.equal(2);
        expect(r.stderr.trim().split("\n")).to.deep.equal(["paved: --dry-run goes with --fix or --auto-fix: it shows what they would change, e.g. paved drift --stack dev --fix --dry-run"]);
        expect(r.stdout + r.stderr).to.not.match(STACK_FRAME);
        expect(JSON.parse(fs.readFileSync(file, "utf8"))).to.deep.equal(JSON.parse(before));
    });
});
