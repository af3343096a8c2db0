import { expect } from "chai";
import { StackConfigError, loadStackConfig } from "../../stacks/config";
import { loadGlobalConfig } from "../../stacks/global-config";
import { program } from "../../stacks/program";
import { readStackConfig } from "../../automation/offline/stack-file";
import { REPO_ROOT, runFailing } from "../harness";

/** A valid AWS stack, as Pulumi hands it to the program: flat strings, objects as JSON. */
const awsConfig: Record<string, string> = {
    "paved:cloud": "aws",
    "paved:role": "regional",
    "paved:environment": "staging",
    "paved:region": "us-west-2",
    "paved:domain": "staging.example.com",
    "paved:owner": "platform-team",
    "paved:costCenter": "1234",
    "paved:cluster": JSON.stringify({ kubernetesVersion: "1.33", systemPool: { minSize: 1, maxSize: 3 } }),
};

function failureOf(config: Record<string, string>, isSecret?: (key: string) => boolean): StackConfigError {
    try {
        loadStackConfig(config, { stack: "staging", isSecret });
    } catch (e) {
        if (e instanceof StackConfigError) return e;
        throw e;
    }
    throw new Error("expected the config to be rejected");
}

describe("stack config", () => {
    it("reads every setting into one typed object with defaults derived from the environment", () => {
        const config = loadStackConfig(awsConfig, { stack: "staging" });
        expect(config.cloud).to.equal("aws");
        expect(config.production).to.equal(false);
        expect(config.tags).to.deep.equal({ environment: "staging", owner: "platform-team", costCenter: "1234", extra: {} });
        // Outside production the system pool sleeps with the environment (the default schedule here).
        expect(config.cluster).to.deep.include({
            kubernetesVersion: "1.33",
            systemPool: { minSize: 1, maxSize: 3, schedule: { timeZone: "UTC", days: "Mon-Fri", start: "07:00", end: "20:00" } },
        });
        expect(loadStackConfig({ ...awsConfig, "paved:environment": "prod" }, { stack: "p" }).production).to.equal(true);
    });

    it("reads a GCP stack with its project", () => {
        const config = loadStackConfig(
            { ...awsConfig, "paved:cloud": "gcp", "paved:region": "europe-west1", "paved:gcpProject": "acme-platform-dev" },
            { stack: "dev-gcp" },
        );
        expect(config.cloud === "gcp" && config.cluster.project).to.equal("acme-platform-dev");
    });

    it("lists every bad key at once with the value received, the reason and a valid example", () => {
        const error = failureOf({
            ...awsConfig,
            "paved:cloud": "azure",
            "paved:environment": "Prod!",
            "paved:domain": "not a domain",
            "paved:clustr": "{}",
        });
        expect(error.problems.map((p) => p.propertyPath)).to.have.members([
            "paved:cloud",
            "paved:environment",
            "paved:domain",
            "paved:clustr",
        ]);
        expect(error.message).to.match(/^Pulumi\.staging\.yaml: 4 invalid config value\(s\); nothing was created:/);
        const cloud = error.problems.find((p) => p.propertyPath === "paved:cloud")!;
        expect(cloud.reason).to.include('got "azure"').and.include('"aws"|"gcp"').and.include("e.g. aws");
        const typo = error.problems.find((p) => p.propertyPath === "paved:clustr")!;
        expect(typo.reason).to.include("unknown key").and.include("paved:cluster");
    });

    it("reports the components' own rules against the config keys they came from", () => {
        const error = failureOf({
            ...awsConfig,
            "paved:owner": "",
            "paved:region": "europe-west1",
            "paved:cluster": JSON.stringify({ kubernetesVersion: 1.3, availabilityZoneCount: 1, systemPool: { minSize: 4, maxSize: 2 }, publicEndpoint: true }),
        });
        expect(error.problems.map((p) => p.propertyPath)).to.have.members([
            "paved:owner",
            "paved:region",
            "paved:cluster.kubernetesVersion",
        ]);
        // Shape first: once the version is quoted, the semantic rules report the rest, all at once.
        const second = failureOf({
            ...awsConfig,
            "paved:cluster": JSON.stringify({ kubernetesVersion: "1.3", availabilityZoneCount: 1, systemPool: { minSize: 4, maxSize: 2 }, publicEndpoint: true }),
        });
        expect(second.problems.map((p) => p.propertyPath)).to.deep.equal([
            "paved:cluster.kubernetesVersion",
            "paved:cluster.availabilityZoneCount",
            "paved:cluster.publicAccessCidrs",
            "paved:cluster.systemPool.minSize",
        ]);
        expect(second.problems[3].reason).to.include("minSize 4 > maxSize 2");
    });

    it("flags keys of the other cloud and requires a GCP project on GCP", () => {
        const gcp = failureOf({
            ...awsConfig,
            "paved:cloud": "gcp",
            "paved:region": "europe-west1",
            "paved:cluster": JSON.stringify({ kubernetesVersion: "1.33", natGateways: "single" }),
        });
        expect(gcp.problems.map((p) => p.propertyPath)).to.have.members(["paved:cluster.natGateways", "paved:gcpProject"]);
    });

    it("never prints the value of a secret config key", () => {
        const error = failureOf({ ...awsConfig, "paved:owner": "" }, (key) => key === "paved:owner");
        expect(error.problems).to.deep.equal([{ propertyPath: "paved:owner", reason: "invalid (its value is secret and not shown); e.g. platform-team" }]);
    });

    describe("node pools, schedule and cost", () => {
        const pool = { name: "apps", instanceTypes: ["m6i.large", "m6a.large", "m7i.large"], maxSize: 6 };
        const withPools = (extra: Record<string, unknown>) => ({
            ...awsConfig,
            ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [`paved:${k}`, typeof v === "string" ? v : JSON.stringify(v)])),
        });

        it("gives non-production a Mon–Fri 07:00–20:00 UTC schedule, production none, and 'none' turns it off", () => {
            expect(loadStackConfig(withPools({ nodePools: [pool] }), { stack: "s" }).schedule).to.deep.equal({
                timeZone: "UTC", days: "Mon-Fri", start: "07:00", end: "20:00",
            });
            expect(loadStackConfig(withPools({ environment: "prod" }), { stack: "s" }).schedule).to.equal(undefined);
            expect(loadStackConfig(withPools({ schedule: "none" }), { stack: "s" }).schedule).to.equal(undefined);
        });

        it("makes production pools critical, so they get an on-demand fallback by default", () => {
            const [prodPool] = loadStackConfig(withPools({ environment: "prod", nodePools: [pool] }), { stack: "s" }).nodePools;
            expect(prodPool.critical).to.equal(true);
            expect(prodPool.schedule).to.equal(undefined);
        });

        it("reports pool, schedule and workload problems against their config keys", () => {
            const error = failureOf(withPools({
                environment: "prod",
                schedule: { timeZone: "Berlin", days: "Mon-Fri", start: "07:00", end: "20:00" },
                nodePools: [
                    { ...pool, instanceTypes: ["m6i.large"] },
                    { ...pool, name: "batch", onDemandFallback: false, minSize: 7 },
                    { ...pool, schedule: { timeZone: "UTC", startCron: "0 7 * * *", endCron: "0 99 * * *" } },
                ],
                scaleToZero: [{ namespace: "shop", name: "Web", replicas: 2 }],
            }));
            expect(error.problems.map((p) => p.propertyPath)).to.deep.equal([
                "paved:schedule.timeZone",
                "paved:nodePools[0].instanceTypes",
                "paved:nodePools[1].minSize",
                "paved:nodePools[1].onDemandFallback",
                "paved:nodePools[2].schedule.endCron",
                "paved:nodePools[2].name",
                "paved:scaleToZero[0].name",
            ]);
            expect(error.problems[3].reason).to.include("production-critical");
        });

        it("refuses workloads to scale to zero in an environment without on-hours", () => {
            const error = failureOf(withPools({ environment: "prod", scaleToZero: [{ namespace: "shop", name: "web", replicas: 2 }] }));
            expect(error.problems.map((p) => p.propertyPath)).to.deep.equal(["paved:scaleToZero"]);
        });

        it("requires a price for every instance type the cost report needs", () => {
            const error = failureOf(withPools({ nodePools: [{ ...pool, instanceTypes: ["g5.xlarge", "g6.xlarge"] }] }));
            expect(error.problems.map((p) => p.propertyPath)).to.deep.equal(["paved:nodePools[0].instanceTypes[0]"]);
            const priced = loadStackConfig(withPools({ nodePools: [{ ...pool, instanceTypes: ["g5.xlarge", "g6.xlarge"] }], cost: { prices: { "g5.xlarge": 1.006 } } }), { stack: "s" });
            expect(priced.cost.prices).to.deep.equal({ "g5.xlarge": 1.006 });
        });
    });

    it("reports Vault problems against paved:vault, never echoing a plaintext value", () => {
        const error = failureOf({
            ...awsConfig,
            "paved:vault": JSON.stringify({
                address: "http://vault:8200",
                apps: [{ name: "payments", namespace: "payments", secrets: [{ name: "db", path: "prod/payments/db", value: "hunter2" }] }],
            }),
        });
        expect(error.problems.map((p) => p.propertyPath)).to.deep.equal([
            "paved:vault.apps[0].secrets[0].value",
            "paved:vault.address",
            "paved:vault.apps[0].secrets[0].path",
        ]);
        expect(error.message).to.not.include("hunter2");
    });

    it("reports observability problems under paved:observability, and requires Vault for Grafana's login", () => {
        const error = failureOf({
            ...awsConfig,
            "paved:observability": JSON.stringify({ sizing: { lokiRetention: "a month" }, slos: [{ service: "api", objective: 100, totalSelector: "x", errorSelector: "" }] }),
        });
        expect(error.problems.map((p) => p.propertyPath)).to.deep.equal([
            "paved:observability.sizing.lokiRetention",
            "paved:observability.slos[0].objective",
            "paved:observability.slos[0].errorSelector",
            "paved:observability",
        ]);
        expect(error.problems[3].reason).to.include("needs paved:vault");
    });

    it("reports GitOps, canary and PR-environment problems under their keys, with what each needs", () => {
        const error = failureOf({
            ...awsConfig,
            "paved:gitops": JSON.stringify({ repoUrl: "http://github.com/acme/apps.git", path: "clusters/dev" }),
            "paved:delivery": JSON.stringify({ canaries: [{ app: "web", namespace: "shop", image: "web:1.0", hostname: "shop.example.com", steps: [10, 5, 100] }] }),
        });
        expect(error.problems.map((p) => p.propertyPath)).to.deep.equal([
            "paved:gitops.repoUrl",
            "paved:gitops",
            "paved:delivery.canaries[0].steps[1]",
        ]);
        // One entry for the key, with both things it needs.
        expect(error.problems[1].reason).to.match(/needs paved:vault.*; also needs paved:observability/);
        const lonely = failureOf({ ...awsConfig, "paved:prEnvironments": JSON.stringify({ repoUrl: "https://github.com/acme/shop.git", path: "chart", github: { owner: "acme", repo: "shop" } }) });
        expect(lonely.problems.map((p) => p.propertyPath)).to.deep.equal(["paved:prEnvironments"]);
    });

    it("refuses a preview stack whose StackReference names a stack not in the repository, before creating anything", async () => {
        const failure = await runFailing(program, {
            stack: "pr-7",
            config: {
                "paved:cloud": "aws",
                "paved:role": "preview",
                "paved:environment": "pr",
                "paved:region": "eu-central-1",
                "paved:domain": "dev.example.com",
                "paved:owner": "o",
                "paved:costCenter": "c",
                "paved:preview": JSON.stringify({ clusterStack: "qa" }),
            },
        });
        expect(failure.cause).to.be.instanceOf(StackConfigError);
        expect((failure.cause as StackConfigError).problems).to.deep.equal([{
            propertyPath: "paved:preview.clusterStack",
            reason: 'got "qa": there is no Pulumi.qa.yaml in this repository to reference; e.g. "dev"',
        }]);
        expect(failure.resources.map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack"]);
    });

    it("refuses a global stack whose standby is its primary, or names a stack not in the repository", async () => {
        const failure = await runFailing(program, {
            stack: "prod-global",
            config: {
                "paved:cloud": "aws",
                "paved:role": "global",
                "paved:environment": "prod",
                "paved:region": "us-east-1",
                "paved:domain": "example.com",
                "paved:owner": "o",
                "paved:costCenter": "c",
                "paved:global": JSON.stringify({ primary: "prod-eu", standby: "prod-eu" }),
            },
        });
        expect((failure.cause as StackConfigError).problems.map((p) => p.propertyPath)).to.deep.equal([
            "paved:global.primary",
            "paved:global.standby",
        ]);
        // One entry per key: both of the standby's problems in it.
        expect((failure.cause as StackConfigError).problems[1].reason).to.match(/no Pulumi\.prod-eu\.yaml.*; also got "prod-eu", the same as the primary/);
        expect(failure.resources.map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack"]);
    });

    it("refuses a global stack whose regions are not a regional primary and standby of its cloud and domain", () => {
        const global = readStackConfig(REPO_ROOT, "prod-global").config;
        const peers: Record<string, Record<string, string>> = {
            "prod-us-east-1": readStackConfig(REPO_ROOT, "prod-us-east-1").config,
            "prod-us-west-2": readStackConfig(REPO_ROOT, "prod-us-west-2").config,
            "dev-gcp": readStackConfig(REPO_ROOT, "dev-gcp").config,
            "staging": readStackConfig(REPO_ROOT, "staging").config,
        };
        const load = (pair: object) => () => loadGlobalConfig({ ...global, "paved:global": JSON.stringify(pair) }, { stack: "prod-global", peerConfig: (s) => peers[s] });
        // Swapped regions are a mix-up in the global file: the advice is to swap them here, never to change a region's role.
        expect(load({ primary: "prod-us-west-2", standby: "prod-us-east-1" })).to.throw(StackConfigError, 'paved:global.standby: got "prod-us-east-1", the primary (its paved:failover.role is primary): name the standby stack here');
        const swapped = (() => {
            try {
                load({ primary: "prod-us-west-2", standby: "prod-us-east-1" })();
            } catch (e) {
                return (e as Error).message;
            }
            return "";
        })();
        expect(swapped).to.include('paved:global.primary: got "prod-us-west-2", the standby').and.not.include("set paved:failover");
        expect(load({ primary: "prod-us-east-1", standby: "dev-gcp" })).to.throw(StackConfigError, 'paved:global.standby: got "dev-gcp", a "gcp" stack: failover between clouds is not supported; name a stack on aws');
        expect(load({ primary: "prod-us-east-1", standby: "staging" })).to.throw(StackConfigError, 'paved:global.standby: got "staging", serving "staging.paved.example.com": both regions must serve "paved.example.com"');
        expect(loadGlobalConfig(global, { stack: "prod-global", peerConfig: (s) => peers[s] })).to.deep.include({ primary: { stack: "prod-us-east-1", region: "us-east-1" }, drill: false });
    });

    it("lists a type error, a range error and a cross-field error of one stack in one pass", () => {
        const error = failureOf({
            ...awsConfig,
            "paved:nodePools": JSON.stringify([{ name: "apps", instanceTypes: ["m6i.large", "m6a.large"], maxSize: "six" }]),
            "paved:cluster": JSON.stringify({ kubernetesVersion: "1.33", vpcCidr: "10.0.0.0/24" }),
            "paved:scaleToZero": JSON.stringify([{ namespace: "shop", name: "web", replicas: 2 }]),
            "paved:schedule": "none",
        });
        expect(error.problems.map((p) => p.propertyPath)).to.deep.equal(["paved:nodePools[0].maxSize", "paved:scaleToZero", "paved:cluster.vpcCidr"]);
        expect(error.problems[0].reason).to.equal('got "six": Invalid input: expected number, received string; e.g. 6');
    });

    it("keeps an entry with an unknown key checked for everything else, under its true index", () => {
        const canary = (extra: object) => ({ app: "web", namespace: "shop", image: "web:1.0", hostname: "shop.example.com", ...extra });
        const error = failureOf({
            ...awsConfig,
            "paved:vault": JSON.stringify({ address: "https://vault.example.com:8200", apps: [] }),
            "paved:observability": JSON.stringify({}),
            "paved:gitops": JSON.stringify({ repoUrl: "https://github.com/acme/apps.git", path: "clusters/staging" }),
            "paved:delivery": JSON.stringify({ canaries: [canary({}), canary({ replica: 2, steps: [10, 5, 100] })] }),
        });
        expect(error.problems.map((p) => p.propertyPath)).to.deep.equal(["paved:delivery.canaries[1].replica", "paved:delivery.canaries[1].steps[1]"]);
        expect(error.problems[0].reason).to.equal("unknown key: did you mean paved:delivery.canaries[1].replicas?");
    });

    it("names a missing key 'required', once", () => {
        const withoutOwner = Object.fromEntries(Object.entries(awsConfig).filter(([key]) => key !== "paved:owner"));
        const error = failureOf(withoutOwner);
        expect(error.problems).to.deep.equal([{ propertyPath: "paved:owner", reason: "required, and missing; e.g. platform-team" }]);
    });

    it("shows a tag value whose key holds a dot in --json data", () => {
        const error = failureOf({ ...awsConfig, "paved:tags": JSON.stringify({ "team.channel": "#platform" }) });
        expect(error.issues.map((i) => [i.key, i.value])).to.deep.equal([["paved:tags.team.channel", "#platform"]]);
    });

    it("stops the stack program before it registers any resource", async () => {
        const failure = await runFailing(program, {
            stack: "staging",
            config: { ...awsConfig, "paved:cloud": "azure", "paved:owner": "", "paved:cluster": "{}" },
        });
        expect(failure.cause).to.be.instanceOf(StackConfigError);
        expect((failure.cause as StackConfigError).problems.map((p) => p.propertyPath)).to.have.members(["paved:cloud", "paved:owner"]);
        expect(failure.resources.map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack"]);
    });
});

describe("failover roles: warm standby, promoted standby", () => {
    const standby = readStackConfig(REPO_ROOT, "prod-us-west-2").config;
    const primary = readStackConfig(REPO_ROOT, "prod-us-east-1").config;
    const pools = (config: Record<string, string>, stack: string) => loadStackConfig(config, { stack }).nodePools.map((p) => [p.name, p.minSize, p.nodes, p.maxSize]);

    it("runs the standby warm: spot pools at the floor, their maximum unchanged", () => {
        expect(loadStackConfig(standby, { stack: "prod-us-west-2" }).failover).to.deep.equal({ role: "standby", promoted: false, warmFloor: 1 });
        expect(pools(standby, "prod-us-west-2")).to.deep.equal([["apps", 1, 1, 12]]);
    });

    it("promoted, runs the standby at the capacity it declares — the primary's", () => {
        const promoted = { ...standby, "paved:failover": JSON.stringify({ role: "standby", promoted: true }) };
        expect(pools(promoted, "prod-us-west-2")).to.deep.equal(pools(primary, "prod-us-east-1"));
        expect(pools(primary, "prod-us-east-1")).to.deep.equal([["apps", 2, 4, 12]]);
    });

    it("refuses failover without the HTTPS health endpoint it probes (Gateway certificate from Vault)", () => {
        const noVault = Object.fromEntries(Object.entries(primary).filter(([k]) => k !== "paved:vault"));
        expect(() => loadStackConfig(noVault, { stack: "prod-us-east-1" })).to.throw(StackConfigError, "paved:failover: needs paved:gitops and paved:vault");
    });

    it("refuses a promoted primary or an unknown failover role, naming the key", () => {
        const bad = (failover: unknown) => () => loadStackConfig({ ...primary, "paved:failover": JSON.stringify(failover) }, { stack: "prod-us-east-1" });
        expect(bad({ role: "primary", promoted: true })).to.throw(StackConfigError, "paved:failover.promoted: got true: only a standby is promoted");
        expect(bad({ role: "backup" })).to.throw(StackConfigError, 'paved:failover.role: got "backup"');
    });
});
