import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { parse, stringify } from "yaml";
import { REPO_ROOT } from "../../harness";
import { pavedArgs } from "../../paved-binary";

/*
 * Every class of config mistake from issue #15, each as its own stack file in a scratch project, all
 * run through the real `paved plan` binary in one child process (and a text-mode run): each stack is
 * refused as a config error naming its key, nothing of it is evaluated, no stack trace, exit 2.
 */

const STACK_FRAME = /^\s+at .+\(.*:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;
const DELETE = Symbol("delete");

type Config = Record<string, unknown>;
interface BadConfig {
    /** What is wrong, in the words of the classes. */
    readonly what: string;
    readonly base: "dev" | "dev-gcp" | "staging" | "prod-us-east-1" | "prod-global" | "pr" | "local";
    /** `paved:key.path[0].leaf` → the value to set there (DELETE removes it). */
    readonly set: Record<string, unknown>;
    /** The config keys the error must name (all of them, in one pass). */
    readonly keys: readonly string[];
    /** Whether the stack file marks the value secret: then it must never be shown. */
    readonly secret?: boolean;
}

const long = "x".repeat(257);
const manyTags = Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`t${i}`, "v"]));

const CASES: readonly BadConfig[] = [
    // Types, shapes, required keys
    { what: "unquoted version read as a number", base: "dev", set: { "paved:cluster.kubernetesVersion": 1.3 }, keys: ["paved:cluster.kubernetesVersion"] },
    { what: "a word for a size", base: "dev", set: { "paved:nodePools[0].maxSize": "six" }, keys: ["paved:nodePools[0].maxSize"] },
    { what: "top-level typo", base: "dev", set: { "paved:regoin": "eu-central-1" }, keys: ["paved:regoin"] },
    { what: "cluster typo", base: "dev", set: { "paved:cluster.vpcCidrs": "10.0.0.0/16" }, keys: ["paved:cluster.vpcCidrs"] },
    { what: "canary typo", base: "dev", set: { "paved:delivery.canaries[0].replica": 2 }, keys: ["paved:delivery.canaries[0].replica"] },
    { what: "canary analysis typo", base: "dev", set: { "paved:delivery.canaries[0].analysis": { intervall: "1m" } }, keys: ["paved:delivery.canaries[0].analysis.intervall"] },
    { what: "observability sizing typo", base: "staging", set: { "paved:observability.sizing": { prometheusRetension: "30d" } }, keys: ["paved:observability.sizing.prometheusRetension"] },
    { what: "SLO typo", base: "staging", set: { "paved:observability.slos[0].latancy": { metric: "m" } }, keys: ["paved:observability.slos[0].latancy"] },
    { what: "Vault app typo", base: "staging", set: { "paved:vault.apps[0].namespce": "payments" }, keys: ["paved:vault.apps[0].namespce"] },
    { what: "Vault secret typo", base: "staging", set: { "paved:vault.apps[0].secrets[0].pth": "x" }, keys: ["paved:vault.apps[0].secrets[0].pth"] },
    { what: "missing owner", base: "dev", set: { "paved:owner": DELETE }, keys: ["paved:owner"] },
    { what: "unknown cloud", base: "dev", set: { "paved:cloud": "azure" }, keys: ["paved:cloud"] },
    { what: "unknown role", base: "dev", set: { "paved:role": "worker" }, keys: ["paved:role"] },
    { what: "environment with punctuation", base: "dev", set: { "paved:environment": "Dev!" }, keys: ["paved:environment"] },
    { what: "domain not a DNS name", base: "dev", set: { "paved:domain": "Example" }, keys: ["paved:domain"] },
    { what: "production as a word", base: "dev", set: { "paved:production": "yes" }, keys: ["paved:production"] },
    { what: "unknown NAT mode", base: "dev", set: { "paved:cluster.natGateways": "none" }, keys: ["paved:cluster.natGateways"] },
    { what: "empty size range", base: "dev", set: { "paved:cluster.systemPool.minSize": 5 }, keys: ["paved:cluster.systemPool.minSize"] },
    { what: "duplicate pool name", base: "dev", set: { "paved:nodePools[1]": { name: "apps", instanceTypes: ["m6i.large"], maxSize: 2 } }, keys: ["paved:nodePools[1].name"] },
    { what: "unknown taint effect", base: "dev", set: { "paved:nodePools[0].taints": [{ key: "k", value: "v", effect: "Never" }] }, keys: ["paved:nodePools[0].taints[0].effect"] },
    { what: "unknown failover role", base: "prod-us-east-1", set: { "paved:failover.role": "leader" }, keys: ["paved:failover.role"] },
    { what: "warm floor out of range", base: "prod-us-east-1", set: { "paved:failover": { role: "standby", warmFloor: 11 } }, keys: ["paved:failover.warmFloor"] },
    { what: "a promoted primary", base: "prod-us-east-1", set: { "paved:failover.promoted": true }, keys: ["paved:failover.promoted"] },
    { what: "log retention CloudWatch refuses", base: "dev", set: { "paved:cluster.logRetentionDays": 42 }, keys: ["paved:cluster.logRetentionDays"] },
    { what: "public endpoint without allow-list", base: "dev", set: { "paved:cluster.publicEndpoint": true }, keys: ["paved:cluster.publicAccessCidrs"] },
    { what: "GCP project on AWS", base: "dev", set: { "paved:gcpProject": "acme" }, keys: ["paved:gcpProject"] },
    { what: "GCP stack without project", base: "dev-gcp", set: { "paved:gcpProject": DELETE }, keys: ["paved:gcpProject"] },
    { what: "empty kube context", base: "local", set: { "paved:local.context": "" }, keys: ["paved:local.context"] },
    { what: "Prometheus address not a URL", base: "local", set: { "paved:local.prometheusAddress": "ftp://prom" }, keys: ["paved:local.prometheusAddress"] },
    { what: "a secret environment that is invalid", base: "dev", set: { "paved:environment": { secure: "v1:AAAABBBB" } }, keys: ["paved:environment"], secret: true },
    // Regions
    { what: "AWS region that does not exist", base: "dev", set: { "paved:region": "us-central-1" }, keys: ["paved:region"] },
    { what: "GCP region on an AWS stack", base: "dev", set: { "paved:region": "europe-west1" }, keys: ["paved:region"] },
    { what: "AWS region on a GCP stack", base: "dev-gcp", set: { "paved:region": "us-east-1" }, keys: ["paved:region"] },
    { what: "global role's region unchecked before", base: "prod-global", set: { "paved:region": "us-east-9" }, keys: ["paved:region"] },
    { what: "preview stack's region", base: "pr", set: { "paved:region": "eu-middle-1" }, keys: ["paved:region"] },
    // Machine types per cloud
    { what: "GCE type in an EKS pool", base: "dev", set: { "paved:nodePools[0].instanceTypes": ["n2-standard-4"] }, keys: ["paved:nodePools[0].instanceTypes[0]"] },
    { what: "EC2 type in a GKE pool", base: "dev-gcp", set: { "paved:nodePools[0].instanceTypes": ["m6i.large"] }, keys: ["paved:nodePools[0].instanceTypes[0]"] },
    { what: "GCE type in the EKS system pool", base: "dev", set: { "paved:cluster.systemPool.instanceTypes": ["e2-standard-4"] }, keys: ["paved:cluster.systemPool.instanceTypes[0]"] },
    { what: "EC2 type in the GKE system pool", base: "dev-gcp", set: { "paved:cluster.systemPool": { instanceTypes: ["m6i.large"] } }, keys: ["paved:cluster.systemPool.instanceTypes[0]"] },
    // Kubernetes versions the cloud offers
    { what: "EKS 1.25", base: "dev", set: { "paved:cluster.kubernetesVersion": "1.25" }, keys: ["paved:cluster.kubernetesVersion"] },
    { what: "GKE 1.29", base: "dev-gcp", set: { "paved:cluster.kubernetesVersion": "1.29" }, keys: ["paved:cluster.kubernetesVersion"] },
    { what: "GKE 1.35 on the STABLE channel", base: "dev-gcp", set: { "paved:cluster.releaseChannel": "STABLE", "paved:cluster.kubernetesVersion": "1.35" }, keys: ["paved:cluster.kubernetesVersion"] },
    { what: "a version that is not minor-shaped", base: "dev", set: { "paved:cluster.kubernetesVersion": "1.3" }, keys: ["paved:cluster.kubernetesVersion"] },
    // Zone counts
    { what: "more zones than eu-central-1 has", base: "dev", set: { "paved:cluster.availabilityZoneCount": 4 }, keys: ["paved:cluster.availabilityZoneCount"] },
    { what: "three zones in us-west-1", base: "dev", set: { "paved:region": "us-west-1", "paved:cluster.availabilityZoneCount": 3 }, keys: ["paved:cluster.availabilityZoneCount"] },
    // CIDRs
    { what: "GKE services inside the pod range", base: "dev-gcp", set: { "paved:cluster.serviceCidr": "10.17.0.0/20" }, keys: ["paved:cluster.serviceCidr"] },
    { what: "GKE control plane inside the node range", base: "dev-gcp", set: { "paved:cluster.masterCidr": "10.10.0.0/28" }, keys: ["paved:cluster.masterCidr"] },
    { what: "GKE nodes inside the default pod range", base: "dev-gcp", set: { "paved:cluster.nodeCidr": "10.16.0.0/20" }, keys: ["paved:cluster.nodeCidr"] },
    { what: "VPC CIDR with host bits", base: "dev", set: { "paved:cluster.vpcCidr": "10.0.0.1/16" }, keys: ["paved:cluster.vpcCidr"] },
    { what: "VPC too small", base: "dev", set: { "paved:cluster.vpcCidr": "10.0.0.0/24" }, keys: ["paved:cluster.vpcCidr"] },
    // Cron and schedule forms
    { what: "4-field cron", base: "dev", set: { "paved:schedule": { timeZone: "UTC", startCron: "0 7 * *", endCron: "0 20 * * 1-5" } }, keys: ["paved:schedule.startCron"] },
    { what: "6-field cron on a pool", base: "dev", set: { "paved:nodePools[0].schedule": { timeZone: "UTC", startCron: "0 7 * * 1-5", endCron: "0 0 20 * * 1-5" } }, keys: ["paved:nodePools[0].schedule.endCron"] },
    { what: "both schedule forms", base: "dev", set: { "paved:schedule": { timeZone: "UTC", days: "Mon-Fri", start: "07:00", end: "20:00", startCron: "0 7 * * 1-5", endCron: "0 20 * * 1-5" } }, keys: ["paved:schedule.startCron"] },
    { what: "an hour that does not exist", base: "dev", set: { "paved:schedule.start": "25:00" }, keys: ["paved:schedule.start"] },
    { what: "an unknown time zone", base: "dev", set: { "paved:schedule.timeZone": "Mars/Olympus" }, keys: ["paved:schedule.timeZone"] },
    // ARNs
    { what: "a bare role name", base: "dev", set: { "paved:cluster.adminRoleArns": ["platform-admin"] }, keys: ["paved:cluster.adminRoleArns[0]"] },
    { what: "a user ARN", base: "dev", set: { "paved:cluster.adminRoleArns": ["arn:aws:iam::123456789012:user/bob"] }, keys: ["paved:cluster.adminRoleArns[0]"] },
    // Cross-stack references
    { what: "preview on the global stack", base: "pr", set: { "paved:preview.clusterStack": "prod-global" }, keys: ["paved:preview.clusterStack"] },
    { what: "preview on a stack that does not exist", base: "pr", set: { "paved:preview.clusterStack": "qa" }, keys: ["paved:preview.clusterStack"] },
    { what: "preview on the other cloud's cluster", base: "pr", set: { "paved:preview.clusterStack": "dev-gcp" }, keys: ["paved:preview.clusterStack"] },
    { what: "standby without a failover role", base: "prod-global", set: { "paved:global.standby": "dev" }, keys: ["paved:global.standby"] },
    { what: "primary and standby swapped", base: "prod-global", set: { "paved:global.primary": "prod-us-west-2", "paved:global.standby": "prod-us-east-1" }, keys: ["paved:global.primary", "paved:global.standby"] },
    // Failover settings under their config keys
    { what: "second record not a DNS label", base: "prod-global", set: { "paved:global.records": ["shop", "Bad_Label"] }, keys: ["paved:global.records[1]"] },
    { what: "Route 53 interval", base: "prod-global", set: { "paved:global.healthCheck.intervalSeconds": 15 }, keys: ["paved:global.healthCheck.intervalSeconds"] },
    { what: "failure threshold 0", base: "prod-global", set: { "paved:global.healthCheck.failureThreshold": 0 }, keys: ["paved:global.healthCheck.failureThreshold"] },
    { what: "TTL above an hour", base: "prod-global", set: { "paved:global.ttlSeconds": 99999 }, keys: ["paved:global.ttlSeconds"] },
    { what: "source regions on AWS", base: "prod-global", set: { "paved:global.sourceRegions": ["us-east4", "europe-west1", "asia-southeast1"] }, keys: ["paved:global.sourceRegions"] },
    // What AWS would refuse at `pulumi up`
    { what: "'#' in a tag value (IAM)", base: "dev", set: { "paved:tags": { "team-channel": "#platform" } }, keys: ["paved:tags.team-channel"] },
    { what: "reserved aws: prefix", base: "dev", set: { "paved:tags": { "aws:team": "platform" } }, keys: ["paved:tags.aws:team"] },
    { what: "tag value over 256 characters", base: "dev", set: { "paved:tags": { note: long } }, keys: ["paved:tags.note"] },
    { what: "owner that cannot be a tag value", base: "dev", set: { "paved:owner": "Platform <Team>" }, keys: ["paved:owner"] },
    { what: "a platform tag overridden", base: "dev", set: { "paved:tags": { environment: "prod" } }, keys: ["paved:tags.environment"] },
    { what: "more tags than AWS allows", base: "dev", set: { "paved:tags": manyTags }, keys: ["paved:tags"] },
    // Bring your own network, and one architecture per pool (issue #18)
    { what: "a VPC ID too short", base: "dev", set: { "paved:cluster.availabilityZoneCount": DELETE, "paved:cluster.natGateways": DELETE, "paved:cluster.network": { vpcId: "vpc-123", privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"] } }, keys: ["paved:cluster.network.vpcId"] },
    { what: "a subnet ID that is not hex", base: "dev", set: { "paved:cluster.availabilityZoneCount": DELETE, "paved:cluster.natGateways": DELETE, "paved:cluster.network": { vpcId: "vpc-0a1b2c3d4e5f67890", privateSubnetIds: ["subnet-XYZ", "subnet-0aaaaaaaaaaaaaaa2"] } }, keys: ["paved:cluster.network.privateSubnetIds[0]"] },
    { what: "an existing VPC beside the new VPC's zone count and NAT mode", base: "dev", set: { "paved:cluster.network": { vpcId: "vpc-0a1b2c3d4e5f67890", privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"] } }, keys: ["paved:cluster.availabilityZoneCount", "paved:cluster.natGateways"] },
    { what: "a GCP network name with capitals", base: "dev-gcp", set: { "paved:cluster.network": { network: "Shared-VPC", subnetwork: "gke-nodes", podsRangeName: "pods", servicesRangeName: "services" } }, keys: ["paved:cluster.network.network"] },
    { what: "an existing GCP network without its pods range name", base: "dev-gcp", set: { "paved:cluster.network": { network: "shared-vpc", subnetwork: "gke-nodes", servicesRangeName: "services" } }, keys: ["paved:cluster.network.podsRangeName"] },
    { what: "Arm and x86 types in one pool", base: "dev", set: { "paved:nodePools[0].instanceTypes": ["m7g.large", "m6i.large", "m6g.large"] }, keys: ["paved:nodePools[0].instanceTypes"] },
    // Types, ranges and cross-field rules in one pass
    {
        what: "a type error, a range error and a cross-field error together",
        base: "dev",
        set: { "paved:nodePools[0].maxSize": "x", "paved:cluster.vpcCidr": "10.0.0.0/24", "paved:schedule": "none" },
        keys: ["paved:nodePools[0].maxSize", "paved:cluster.vpcCidr", "paved:scaleToZero"],
    },
];

/** Sets `paved:a.b[0].c` in a stack file's config, creating objects and array slots on the way. */
function setAt(config: Config, key: string, value: unknown): void {
    const [namespaced, ...rest] = key.split(".");
    const head = namespaced.match(/^([^[]+)(.*)$/)!;
    const parts: (string | number)[] = [head[1], ...[...`${head[2]}${rest.length ? "." + rest.join(".") : ""}`.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]))];
    let at: Record<string | number, unknown> = config;
    parts.slice(0, -1).forEach((p, i) => {
        if (typeof at[p] !== "object" || at[p] === null) at[p] = typeof parts[i + 1] === "number" ? [] : {};
        at = at[p] as Record<string | number, unknown>;
    });
    const last = parts[parts.length - 1];
    if (value === DELETE) delete at[last];
    else at[last] = value;
}

interface Failure { stack: string; kind: string; message: string; errors: { key: string; value?: unknown; secret: boolean; reason: string; example: string }[] }
interface PlanJson { stacks: { stack: string; resources: number }[]; failed: Failure[] }

function paved(project: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, pavedArgs(["plan", "--project", project, ...args]), { cwd: REPO_ROOT, encoding: "utf8", timeout: 120_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const stackName = (i: number) => `bad-${String(i + 1).padStart(2, "0")}`;

describe("paved plan refuses every class of bad config (real binary, child process)", function () {
    this.timeout(150_000);
    let project: string;
    let json: { code: number | null; stdout: string; stderr: string };
    let report: PlanJson;

    before(() => {
        project = fs.mkdtempSync(path.join(os.tmpdir(), "paved-bad-"));
        for (const f of fs.readdirSync(REPO_ROOT).filter((f) => /^Pulumi\..*yaml$/.test(f) || f === "Pulumi.yaml")) fs.copyFileSync(path.join(REPO_ROOT, f), path.join(project, f));
        CASES.forEach((c, i) => {
            const doc = parse(fs.readFileSync(path.join(REPO_ROOT, `Pulumi.${c.base}.yaml`), "utf8")) as { config: Config };
            for (const [key, value] of Object.entries(c.set)) setAt(doc.config, key, value);
            fs.writeFileSync(path.join(project, `Pulumi.${stackName(i)}.yaml`), stringify(doc));
        });
        json = paved(project, ["--json", ...CASES.map((_, i) => stackName(i))]);
        report = JSON.parse(json.stdout) as PlanJson;
    });

    after(() => fs.rmSync(project, { recursive: true, force: true }));

    it(`has at least 60 bad configs, one stack file each (${CASES.length})`, () => {
        expect(CASES.length).to.be.at.least(60);
        expect(report.failed.map((f) => f.stack)).to.deep.equal(CASES.map((_, i) => stackName(i)));
    });

    it("exits 2 with no stack trace, and evaluates none of them", () => {
        expect(json.code).to.equal(2);
        expect(json.stdout).to.not.match(STACK_FRAME);
        expect(json.stderr).to.not.match(STACK_FRAME);
        expect(json.stderr).to.equal("");
        // Nothing registered: a bad stack never reaches the program, so no plan (and no resource) exists for it.
        expect(report.stacks).to.deep.equal([]);
    });

    CASES.forEach((c, i) => {
        it(`${stackName(i)}: ${c.what} → ${c.keys.join(", ")}`, () => {
            const failure = report.failed.find((f) => f.stack === stackName(i));
            expect(failure, JSON.stringify(report.failed.slice(0, 1))).to.not.equal(undefined);
            expect(failure!.kind).to.equal("config");
            expect(failure!.errors.map((e) => e.key), failure!.message).to.include.members([...c.keys]);
            const named = failure!.errors.filter((e) => c.keys.includes(e.key));
            expect(named).to.have.length(c.keys.length);
            for (const e of named) {
                expect(e.reason, e.key).to.match(/\S/);
                expect(e.example, e.key).to.match(/\S/);
                expect(e.reason, e.key).to.match(/e\.g\.|did you mean|remove it/);
                expect(e.secret).to.equal(c.secret ?? false);
                if (c.secret) expect(e).to.not.have.property("value");
            }
            // One error per key.
            const keys = failure!.errors.map((e) => e.key);
            expect(new Set(keys).size).to.equal(keys.length);
        });
    });

    it("says 'required' for a missing key and 'did you mean' with the closest known key for a typo", () => {
        const reason = (stack: string, key: string) => report.failed.find((f) => f.stack === stack)!.errors.find((e) => e.key === key)!.reason;
        expect(reason(stackName(CASES.findIndex((c) => c.what === "missing owner")), "paved:owner")).to.match(/^required/);
        expect(reason(stackName(CASES.findIndex((c) => c.what === "top-level typo")), "paved:regoin")).to.equal("unknown key: did you mean paved:region?");
        expect(reason(stackName(CASES.findIndex((c) => c.what === "canary typo")), "paved:delivery.canaries[0].replica")).to.equal("unknown key: did you mean paved:delivery.canaries[0].replicas?");
        expect(reason(stackName(CASES.findIndex((c) => c.what === "observability sizing typo")), "paved:observability.sizing.prometheusRetension")).to.equal("unknown key: did you mean paved:observability.sizing.prometheusRetention?");
        expect(reason(stackName(CASES.findIndex((c) => c.what === "SLO typo")), "paved:observability.slos[0].latancy")).to.equal("unknown key: did you mean paved:observability.slos[0].latency?");
    });

    it("never shows a secret's value, in the data or the message", () => {
        const failure = report.failed.find((f) => f.stack === stackName(CASES.findIndex((c) => c.secret)))!;
        expect(failure.errors.map((e) => e.key)).to.deep.equal(["paved:environment"]);
        expect(failure.message).to.include("its value is secret and not shown").and.not.include("not decrypted");
    });

    it("in --json: the good stack planned in stacks, the broken one in failed with its errors as data, exit 2", () => {
        const run = paved(project, ["--json", stackName(0), "local"]);
        expect(run.code).to.equal(2);
        expect(run.stdout).to.not.match(STACK_FRAME);
        expect(run.stderr).to.not.match(STACK_FRAME);
        const mixed = JSON.parse(run.stdout) as PlanJson;
        expect(mixed.stacks.map((s) => s.stack)).to.deep.equal(["local"]);
        expect(mixed.stacks[0].resources).to.be.greaterThan(0);
        expect(mixed.failed).to.deep.equal([{
            stack: stackName(0),
            kind: "config",
            message: `Pulumi.${stackName(0)}.yaml: 1 invalid config value(s); nothing was created:\n  - paved:cluster.kubernetesVersion: got 1.3, a number: YAML reads an unquoted 1.30 as 1.3; quote it; e.g. "1.33"`,
            errors: [{ key: "paved:cluster.kubernetesVersion", value: 1.3, secret: false, reason: 'got 1.3, a number: YAML reads an unquoted 1.30 as 1.3; quote it; e.g. "1.33"', example: '"1.33"' }],
        }]);
    });

    it("in text mode: one block per bad stack on stderr naming each key, the good stack still planned, exit 2", () => {
        const text = paved(project, [stackName(0), "local", stackName(CASES.findIndex((c) => c.what === "'#' in a tag value (IAM)"))]);
        expect(text.code).to.equal(2);
        expect(text.stdout).to.not.match(STACK_FRAME);
        expect(text.stderr).to.not.match(STACK_FRAME);
        expect(text.stdout).to.match(/^local \(non-production\): \d+ resources$/m);
        expect(text.stderr).to.include(`${stackName(0)}: Pulumi.${stackName(0)}.yaml: 1 invalid config value(s); nothing was created:\n  - paved:cluster.kubernetesVersion: got 1.3, a number`);
        expect(text.stderr).to.include('paved:tags.team-channel: got "#platform"');
    });
});
