import { Provider as AwsProvider } from "@pulumi/aws/provider";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { EksCluster } from "../../../components/cluster";
import { ClusterAutoscaler } from "../../../components/nodepools/cluster-autoscaler";
import { CLUSTER_AUTOSCALER_CHART, asgPattern, clusterAutoscalerValues } from "../../../components/nodepools/cluster-autoscaler-values";
import { EksSpotNodePool, EksSpotNodePoolArgs } from "../../../components/nodepools/eks-spot-node-pool";
import { spotPoolProblems } from "../../../components/nodepools/spot-pool-args";
import { RecordedResource, StackEvaluation, inputsOf, ofType, one, runFailing, runProgram } from "../../harness";
import { unknownValuePaths, upstreamChart } from "../../upstream";

const tags = { environment: "dev", owner: "platform-team", costCenter: "cc-1001" };
type PoolArgs = Omit<EksSpotNodePoolArgs, "cluster">;
const apps: PoolArgs = {
    tags,
    instanceTypes: ["m6i.large", "m6a.large", "m7i.large"],
    minSize: 1,
    maxSize: 6,
    labels: { workload: "apps" },
    taints: [{ key: "paved.io/spot", value: "true", effect: "NoSchedule" }],
    onDemandFallback: true,
    schedule: { timeZone: "Europe/Berlin", days: "Mon-Fri", start: "07:00", end: "20:00" },
};

function build(pool: PoolArgs): Promise<StackEvaluation> {
    return runProgram(() => {
        const provider = new AwsProvider("aws", { region: "eu-central-1" });
        const cluster = new EksCluster("demo", { tags, kubernetesVersion: "1.33" }, { providers: [provider] });
        new EksSpotNodePool("apps", { ...pool, cluster }, { providers: [provider] });
        new ClusterAutoscaler("autoscaler", { cluster, pools: ["apps"], tags }, { providers: [provider] });
    });
}

const groups = (run: StackEvaluation) => ofType(run.resources, "aws:eks/nodeGroup:NodeGroup").filter((g) => g.name.startsWith("apps-"));
const group = (run: StackEvaluation, capacity: string) => one(run.resources, "aws:eks/nodeGroup:NodeGroup", `apps-${capacity}`);

describe("EksSpotNodePool", () => {
    let run: StackEvaluation;
    before(async () => {
        run = await build(apps);
    });

    it("is a SPOT managed node group over several instance types of one shape", () => {
        const spot = inputsOf(group(run, "spot"));
        expect(spot.capacityType).to.equal("SPOT");
        expect(spot.instanceTypes).to.deep.equal(["m6i.large", "m6a.large", "m7i.large"]);
        expect(spot.nodeGroupNamePrefix).to.equal("apps-spot-");
        expect(spot.scalingConfig).to.deep.equal({ minSize: 1, maxSize: 6, desiredSize: 1 });
        expect(spot.updateConfig).to.deep.equal({ maxUnavailablePercentage: 33 });
    });

    it("labels and taints its nodes so only tolerant workloads land on spot", () => {
        const spot = inputsOf(group(run, "spot"));
        expect(spot.labels).to.deep.equal({ workload: "apps", "paved.io/pool": "apps", "paved.io/capacity": "spot" });
        expect(spot.taints).to.deep.equal([{ key: "paved.io/spot", value: "true", effect: "NO_SCHEDULE" }]);
    });

    it("has an empty on-demand sibling the autoscaler grows only when spot is gone", () => {
        const fallback = inputsOf(group(run, "ondemand"));
        expect(fallback.capacityType).to.equal("ON_DEMAND");
        expect(fallback.scalingConfig).to.deep.equal({ minSize: 0, maxSize: 6, desiredSize: 0 });
        expect(fallback.labels["paved.io/capacity"]).to.equal("on-demand");
    });

    it("leaves desiredSize to the autoscaler, so it never shows as drift", () => {
        expect(groups(run).map((g) => [g.name, g.ignoreChanges])).to.deep.equal([["apps-spot", ["scalingConfig.desiredSize"]], ["apps-ondemand", ["scalingConfig.desiredSize"]]]);
    });

    it("has no SSH path and requires IMDSv2 with an encrypted gp3 root", () => {
        expect(groups(run).map((g) => [g.name, "remoteAccess" in inputsOf(g)])).to.deep.equal([["apps-spot", false], ["apps-ondemand", false]]);
        const template = inputsOf(one(run.resources, "aws:ec2/launchTemplate:LaunchTemplate", "apps-nodes"));
        expect(template).to.not.have.property("keyName");
        // The platform's node security group only (every rule declared, none for 22): components/cluster/security-groups.ts.
        expect(template.vpcSecurityGroupIds).to.have.length(1);
        expect(template.metadataOptions).to.deep.equal({ httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
        expect(template.blockDeviceMappings[0].ebs).to.include({ volumeType: "gp3", encrypted: "true" });
        expect(ofType(run.resources, "aws:ec2/keyPair:KeyPair")).to.be.empty;
    });

    it("tags each group's ASG for autoscaler discovery and scale-up from zero", () => {
        const asgTags = (capacity: string) => {
            group(run, capacity); // exactly one such node group
            return Object.fromEntries(
                ofType(run.resources, "aws:autoscaling/tag:Tag")
                    .filter((t) => t.name.startsWith(`apps-${capacity}-`))
                    .map((t) => [inputsOf(t).tag.key, inputsOf(t).tag]),
            );
        };
        const spot = asgTags("spot");
        expect(spot).to.deep.equal({
            "k8s.io/cluster-autoscaler/enabled": { key: "k8s.io/cluster-autoscaler/enabled", value: "true", propagateAtLaunch: false },
            "k8s.io/cluster-autoscaler/demo": { key: "k8s.io/cluster-autoscaler/demo", value: "owned", propagateAtLaunch: false },
            "k8s.io/cluster-autoscaler/node-template/label/workload": { key: "k8s.io/cluster-autoscaler/node-template/label/workload", value: "apps", propagateAtLaunch: false },
            "k8s.io/cluster-autoscaler/node-template/label/paved.io/pool": { key: "k8s.io/cluster-autoscaler/node-template/label/paved.io/pool", value: "apps", propagateAtLaunch: false },
            "k8s.io/cluster-autoscaler/node-template/label/paved.io/capacity": { key: "k8s.io/cluster-autoscaler/node-template/label/paved.io/capacity", value: "spot", propagateAtLaunch: false },
            "k8s.io/cluster-autoscaler/node-template/taint/paved.io/spot": { key: "k8s.io/cluster-autoscaler/node-template/taint/paved.io/spot", value: "true:NoSchedule", propagateAtLaunch: false },
        });
        expect(asgTags("ondemand")["k8s.io/cluster-autoscaler/node-template/label/paved.io/capacity"].value).to.equal("on-demand");
        const asgNames = new Set(ofType(run.resources, "aws:autoscaling/tag:Tag").filter((t) => t.name.startsWith("apps-spot-")).map((t) => inputsOf(t).autoscalingGroupName));
        expect([...asgNames]).to.have.length(1);
        expect([...asgNames][0]).to.match(new RegExp(asgPattern("apps", "spot")));
    });

    it("scales each group to zero at night and back in the morning, in the schedule's time zone", () => {
        const actions = (capacity: string) => ofType(run.resources, "aws:autoscaling/schedule:Schedule").filter((s) => s.name.startsWith(`apps-${capacity}-`)).map(inputsOf);
        const spot = actions("spot");
        expect(spot).to.have.length(2);
        const down = spot.find((s) => s.scheduledActionName === "apps-spot-scale-down")!;
        const up = spot.find((s) => s.scheduledActionName === "apps-spot-scale-up")!;
        expect(down).to.include({ recurrence: "0 20 * * 1-5", timeZone: "Europe/Berlin", minSize: 0, maxSize: 0, desiredCapacity: 0 });
        expect(up).to.include({ recurrence: "0 7 * * 1-5", timeZone: "Europe/Berlin", minSize: 1, maxSize: 6, desiredCapacity: 1 });
        expect(actions("ondemand").find((s) => s.scheduledActionName === "apps-ondemand-scale-up")).to.include({ minSize: 0, maxSize: 6 });
    });

    it("has no scheduled actions and no fallback when neither is asked for", async () => {
        const bare = await build({ ...apps, schedule: undefined, onDemandFallback: false });
        expect(ofType(bare.resources, "aws:autoscaling/schedule:Schedule")).to.be.empty;
        expect(groups(bare).map((g) => g.name)).to.deep.equal(["apps-spot"]);
    });

    describe("validation", () => {
        const paths = (change: Partial<PoolArgs>) => spotPoolProblems({ ...apps, ...change }, "aws").list.map((p) => p.propertyPath);

        it("accepts the happy pool", () => expect(paths({})).to.deep.equal([]));
        it("rejects a single instance type, recommending three of one shape", () => {
            const [problem] = spotPoolProblems({ ...apps, instanceTypes: ["m6i.large"] }, "aws").list;
            expect(problem.propertyPath).to.equal("instanceTypes");
            expect(problem.reason).to.include('got ["m6i.large"]').and.include("3 or more of the same vCPU/memory shape");
        });
        it("rejects instance types of different shapes in one group", () =>
            expect(paths({ instanceTypes: ["m6i.large", "m6i.xlarge"] })).to.deep.equal(["instanceTypes"]));
        it("rejects min > max", () => expect(paths({ minSize: 7, maxSize: 6 })).to.deep.equal(["minSize"]));
        it("rejects a production-critical spot pool without an on-demand fallback", () =>
            expect(paths({ critical: true, onDemandFallback: false })).to.deep.equal(["onDemandFallback"]));
        it("rejects an invalid cron", () =>
            expect(paths({ schedule: { timeZone: "UTC", startCron: "61 7 * * *", endCron: "0 20 * * *" } })).to.deep.equal(["schedule.startCron"]));
        it("rejects an invalid time zone", () =>
            expect(paths({ schedule: { timeZone: "Berlin", days: "Mon-Fri", start: "07:00", end: "20:00" } })).to.deep.equal(["schedule.timeZone"]));
        it("rejects a schedule with no on-hours", () =>
            expect(paths({ schedule: { timeZone: "UTC", days: "Mon-Fri", start: "07:00", end: "07:00" } })).to.deep.equal(["schedule"]));
        it("rejects a bad taint", () =>
            expect(paths({ taints: [{ key: "spot", effect: "NoRun" as never }] })).to.deep.equal(["taints[0]"]));

        it("throws one InputPropertiesError from the component, creating nothing", async () => {
            const failure = await runFailing(() => {
                const cluster = new EksCluster("demo", { tags, kubernetesVersion: "1.33" });
                new EksSpotNodePool("bad", { ...apps, cluster, instanceTypes: ["m6i.large"], minSize: 9 });
            });
            expect(pulumi.InputPropertiesError.isInstance(failure.cause)).to.be.true;
            expect(failure.resources.filter((r: RecordedResource) => r.urn.includes("EksSpotNodePool$"))).to.be.empty;
        });
    });
});

describe("ClusterAutoscaler", () => {
    let run: StackEvaluation;
    before(async () => {
        run = await build(apps);
    });

    it("installs the pinned chart on the cluster, preferring spot groups over on-demand fallbacks", () => {
        const release = inputsOf(one(run.resources, "kubernetes:helm.sh/v3:Release"));
        expect(release).to.include({ chart: "cluster-autoscaler", version: "9.59.0", namespace: "kube-system", atomic: true });
        expect(release.repositoryOpts).to.deep.equal({ repo: "https://kubernetes.github.io/autoscaler" });
        expect(release.values.extraArgs.expander).to.equal("priority");
        expect(release.values.expanderPriorities).to.deep.equal({
            50: ["^eks-apps-spot-[0-9]{26}-"],
            10: ["^eks-apps-ondemand-[0-9]{26}-"],
        });
        expect(release.values.autoDiscovery).to.deep.equal({ clusterName: "demo" });
        expect(release.values.image.tag).to.equal("v1.33.0");
    });

    it("pins the chart version recorded upstream and sets only values the chart has", () => {
        expect(CLUSTER_AUTOSCALER_CHART.version).to.equal(upstreamChart("cluster-autoscaler").version);
        const values = clusterAutoscalerValues({ clusterName: "demo", region: "eu-central-1", kubernetesVersion: "1.33", pools: ["apps"] });
        expect(unknownValuePaths(values, CLUSTER_AUTOSCALER_CHART)).to.deep.equal([]);
        expect(unknownValuePaths({ ...values, autoDiscovery: { clusterName: "x", clustername: "typo" } }, CLUSTER_AUTOSCALER_CHART)).to.deep.equal([
            "autoDiscovery.clustername",
        ]);
    });

    it("runs under its own Pod Identity role that can only change this cluster's groups", () => {
        const association = inputsOf(one(run.resources, "aws:eks/podIdentityAssociation:PodIdentityAssociation"));
        expect(association).to.include({ namespace: "kube-system", serviceAccount: "cluster-autoscaler" });
        const policy = JSON.parse(inputsOf(one(run.resources, "aws:iam/rolePolicy:RolePolicy")).policy);
        const write = policy.Statement.find((s: { Action: string[] }) => s.Action.includes("autoscaling:SetDesiredCapacity"));
        expect(write.Condition).to.deep.equal({ StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/demo": "owned" } });
    });

    it("matches each pool's groups and nothing else", () => {
        const spot = new RegExp(asgPattern("a", "spot"));
        expect(spot.test("eks-a-spot-20260000000000000000000000-1a2b")).to.be.true;
        expect(spot.test("eks-a-spot-ondemand-20260000000000000000000000-1a2b")).to.be.false;
        expect(new RegExp(asgPattern("a.b", "spot")).test("eks-aXb-spot-20260000000000000000000000-")).to.be.false;
    });
});
