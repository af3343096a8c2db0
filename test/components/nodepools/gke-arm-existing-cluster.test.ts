import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { GkeCluster } from "../../../components/cluster";
import { ExistingGkeCluster } from "../../../components/nodepools/existing-cluster";
import { GkeSpotNodePool, GkeSpotNodePoolArgs } from "../../../components/nodepools/gke-spot-node-pool";
import { StackEvaluation, inputsOf, ofType, one, providerUrn, runFailing, runProgram } from "../../harness";

const tags = { environment: "dev", owner: "platform-team", costCenter: "cc-1001" };
const axion: Omit<GkeSpotNodePoolArgs, "cluster"> = { tags, instanceTypes: ["c4a-standard-4", "t2a-standard-4"], maxSize: 6 };
const reference = (provider: k8s.Provider): ExistingGkeCluster => ({
    clusterName: "team-a-dev",
    location: "europe-west1",
    project: "acme-team-a",
    nodeServiceAccountEmail: "gke-nodes@acme-team-a.iam.gserviceaccount.com",
    provider,
});

describe("GkeSpotNodePool on an existing cluster (by reference)", () => {
    let run: StackEvaluation;
    let pool: GkeSpotNodePool;
    before(async () => {
        run = await runProgram(() => {
            const provider = new k8s.Provider("team-a", { kubeconfig: "{}" });
            pool = new GkeSpotNodePool("arm", { ...axion, onDemandFallback: true, cluster: reference(provider) });
        });
    });

    it("creates only the pools and their ComputeClass: no cluster, network or service account", () => {
        const types = new Set(run.resources.map((r) => r.type));
        expect(types.has("gcp:container/nodePool:NodePool")).to.be.true;
        for (const type of ["gcp:container/cluster:Cluster", "gcp:compute/network:Network", "gcp:serviceaccount/account:Account"]) expect(types.has(type), type).to.be.false;
    });

    it("joins the named cluster in its location and project, on the given node service account", () => {
        const pools = ofType(run.resources, "gcp:container/nodePool:NodePool");
        expect(pools.map((p) => p.name)).to.deep.equal(["arm-spot-0", "arm-spot-1", "arm-ondemand"]);
        for (const p of pools) {
            const inputs = inputsOf(p);
            expect({ cluster: inputs.cluster, location: inputs.location, project: inputs.project, serviceAccount: inputs.nodeConfig.serviceAccount }).to.deep.equal({
                cluster: "team-a-dev",
                location: "europe-west1",
                project: "acme-team-a",
                serviceAccount: "gke-nodes@acme-team-a.iam.gserviceaccount.com",
            });
        }
    });

    it("creates the ComputeClass through the given cluster's provider", () => {
        const computeClass = one(run.resources, "kubernetes:cloud.google.com/v1:ComputeClass");
        expect(providerUrn(computeClass)).to.equal("urn:pulumi:test::paved::pulumi:pulumi:Stack$pulumi:providers:kubernetes::team-a");
    });

    it("reads Arm from the machine types (C4A, T2A)", () => {
        expect(pool.architecture).to.equal("arm64");
    });

    it("rejects a pool that mixes Arm and x86 machine types, naming each", async () => {
        const failure = await runFailing(() => {
            const cluster = new GkeCluster("demo", { tags, project: "acme-platform-dev", region: "europe-west1", kubernetesVersion: "1.33" });
            new GkeSpotNodePool("mixed", { ...axion, instanceTypes: ["c4a-standard-4", "n2-standard-4"], cluster });
        });
        expect((failure.cause as pulumi.InputPropertiesError).errors).to.deep.equal([{
            propertyPath: "instanceTypes",
            reason: 'got ["c4a-standard-4","n2-standard-4"]: mixes Arm (c4a-standard-4) and x86 (n2-standard-4) types; a pool\'s nodes run one image, so use one architecture per pool, e.g. ["c4a-standard-4", "t2a-standard-4"] or ["n2-standard-4", "n2d-standard-4"]',
        }]);
        expect(ofType(failure.resources, "gcp:container/nodePool:NodePool").filter((p) => p.name.startsWith("mixed"))).to.deep.equal([]);
    });

    it("refuses a malformed reference with one error naming every bad key", async () => {
        const failure = await runFailing(() => {
            new GkeSpotNodePool("arm", {
                ...axion,
                cluster: { clusterName: "Team_A", location: "europe", project: "Acme", nodeServiceAccountEmail: "123456789-compute@developer.gserviceaccount.com", provider: undefined as never },
            });
        });
        expect(pulumi.InputPropertiesError.isInstance(failure.cause)).to.be.true;
        expect((failure.cause as pulumi.InputPropertiesError).errors).to.deep.equal([
            { propertyPath: "cluster.clusterName", reason: 'got "Team_A": a GKE cluster name is 1-40 lowercase letters, digits and "-", starting with a letter and not ending with "-", e.g. "team-a-dev"' },
            { propertyPath: "cluster.location", reason: 'got "europe": a GCP region or zone, e.g. "europe-west1" (regional cluster) or "europe-west1-b" (zonal)' },
            { propertyPath: "cluster.project", reason: 'got "Acme": a GCP project ID is 6-30 lowercase letters, digits and "-", e.g. "acme-platform-dev"' },
            {
                propertyPath: "cluster.nodeServiceAccountEmail",
                reason: 'got "123456789-compute@developer.gserviceaccount.com": a user-managed service account\'s e-mail (not the broad Compute Engine default), e.g. "gke-nodes@acme-platform-dev.iam.gserviceaccount.com"',
            },
            { propertyPath: "cluster.provider", reason: 'got nothing: a Kubernetes provider for the cluster (the pool creates a ComputeClass in it), e.g. new k8s.Provider("team-a", { kubeconfig })' },
        ]);
        expect(ofType(failure.resources, "gcp:container/nodePool:NodePool")).to.deep.equal([]);
    });
});
