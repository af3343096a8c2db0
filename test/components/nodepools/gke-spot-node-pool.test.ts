import { expect } from "chai";
import { GkeCluster } from "../../../components/cluster";
import { GkeSpotNodePool, GkeSpotNodePoolArgs } from "../../../components/nodepools/gke-spot-node-pool";
import { spotPoolProblems } from "../../../components/nodepools/spot-pool-args";
import { StackEvaluation, inputsOf, ofType, one, runProgram } from "../../harness";

const tags = { environment: "dev", owner: "platform-team", costCenter: "cc-1001" };
const batch: Omit<GkeSpotNodePoolArgs, "cluster"> = {
    tags,
    instanceTypes: ["n2-standard-4", "n2d-standard-4", "e2-standard-4"],
    maxSize: 9,
    taints: [{ key: "paved.io/spot", value: "true", effect: "NoSchedule" }],
    onDemandFallback: true,
};

function build(args: Omit<GkeSpotNodePoolArgs, "cluster">): Promise<StackEvaluation> {
    return runProgram(() => {
        const cluster = new GkeCluster("demo", { tags, project: "acme-platform-dev", region: "europe-west1", kubernetesVersion: "1.33" });
        new GkeSpotNodePool("batch", { ...args, cluster });
    });
}

describe("GkeSpotNodePool", () => {
    let run: StackEvaluation;
    const pools = () => ofType(run.resources, "gcp:container/nodePool:NodePool").filter((p) => p.name.startsWith("batch-"));
    const pool = (name: string) => inputsOf(one(run.resources, "gcp:container/nodePool:NodePool", name));
    before(async () => {
        run = await build(batch);
    });

    it("runs one spot pool per machine type, for diversity a single GKE pool cannot have", () => {
        expect(pools().map((p) => p.name)).to.deep.equal(["batch-spot-0", "batch-spot-1", "batch-spot-2", "batch-ondemand"]);
        expect([0, 1, 2].map((i) => pool(`batch-spot-${i}`).nodeConfig.machineType)).to.deep.equal(batch.instanceTypes);
        for (const i of [0, 1, 2]) expect(pool(`batch-spot-${i}`).nodeConfig.spot).to.equal(true);
        expect(pool("batch-ondemand").nodeConfig.spot).to.equal(false);
    });

    it("autoscales every pool from a total of zero with location policy ANY", () => {
        expect(pools()).to.have.length(4);
        for (const p of pools()) {
            expect(inputsOf(p).autoscaling).to.deep.equal({ totalMinNodeCount: 0, totalMaxNodeCount: 9, locationPolicy: "ANY" });
            expect(p.ignoreChanges).to.deep.equal(["initialNodeCount"]);
        }
    });

    it("repairs and upgrades nodes by surge, on shielded nodes with the GKE metadata server", () => {
        const spot = pool("batch-spot-0");
        expect(spot.management).to.deep.equal({ autoRepair: true, autoUpgrade: true });
        expect(spot.upgradeSettings).to.deep.equal({ strategy: "SURGE", maxSurge: 1, maxUnavailable: 0 });
        expect(spot.nodeConfig.shieldedInstanceConfig).to.deep.equal({ enableSecureBoot: true, enableIntegrityMonitoring: true });
        expect(spot.nodeConfig.workloadMetadataConfig).to.deep.equal({ mode: "GKE_METADATA" });
    });

    it("has no SSH path: OS Login only, project keys blocked, no firewall rule of its own", () => {
        expect(pools()).to.have.length(4);
        for (const p of pools()) {
            expect(inputsOf(p).nodeConfig.metadata).to.deep.equal({ "block-project-ssh-keys": "true", "enable-oslogin": "true", "disable-legacy-endpoints": "true" });
        }
        // The network's firewall is the cluster's (GkeCluster); the pool adds none.
        expect(run.resources.filter((r) => r.type === "gcp:compute/firewall:Firewall" && r.name.startsWith("batch"))).to.be.empty;
    });

    it("runs on the cluster's least-privilege node service account", () => {
        const account = inputsOf(one(run.resources, "gcp:serviceaccount/account:Account"));
        expect(pools()).to.have.length(4);
        for (const p of pools()) expect(inputsOf(p).nodeConfig.serviceAccount).to.equal(`${account.accountId}@acme-platform-dev.iam.gserviceaccount.com`);
    });

    it("labels and taints nodes for the pool's ComputeClass and the user's taints", () => {
        const spot = pool("batch-spot-1").nodeConfig;
        expect(spot.labels).to.deep.equal({ "paved.io/pool": "batch", "paved.io/capacity": "spot", "cloud.google.com/compute-class": "batch" });
        expect(spot.taints).to.deep.equal([
            { key: "paved.io/spot", value: "true", effect: "NO_SCHEDULE" },
            { key: "cloud.google.com/compute-class", value: "batch", effect: "NO_SCHEDULE" },
        ]);
    });

    it("orders spot pools before the on-demand fallback in a ComputeClass, moving back to spot when it returns", () => {
        const computeClass = inputsOf(one(run.resources, "kubernetes:cloud.google.com/v1:ComputeClass"));
        expect(computeClass.metadata).to.deep.equal({ name: "batch" });
        const names = pools().map((p) => p.name);
        const priorities = computeClass.spec.priorities.map((p: { nodepools: string[] }) => p.nodepools[0]);
        expect(priorities).to.have.length(4);
        priorities.forEach((poolName: string, i: number) => expect(poolName).to.match(new RegExp(`^${names[i]}-`)));
        expect(computeClass.spec.activeMigration).to.deep.equal({ optimizeRulePriority: true });
        expect(computeClass.spec.nodePoolAutoCreation).to.deep.equal({ enabled: false });
    });

    it("rejects a single machine type and a critical pool without fallback", () => {
        expect(spotPoolProblems({ ...batch, instanceTypes: ["e2-standard-4"] }, "gcp").list.map((p) => p.propertyPath)).to.deep.equal(["instanceTypes"]);
        expect(spotPoolProblems({ ...batch, critical: true, onDemandFallback: false }, "gcp").list.map((p) => p.propertyPath)).to.deep.equal(["onDemandFallback"]);
    });
});
