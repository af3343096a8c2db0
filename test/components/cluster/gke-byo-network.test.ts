import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { GkeCluster, GkeClusterArgs, gkeClusterProblems, resolveGkeClusterArgs } from "../../../components/cluster";
import { CloudRules, GceFirewall } from "../../../automation/driver/cloud-rules";
import { findUnmanaged, removeUnmanaged } from "../../../automation/runner/unmanaged-rules";
import { PlatformFirewalls } from "../../../components/cluster/security-groups";
import { StackEvaluation, inputsOf, ofType, one, runFailing, runProgram } from "../../harness";

const tags = { environment: "dev", owner: "platform-team", costCenter: "cc-1001" };
const network = {
    network: "projects/acme-network-host/global/networks/shared-vpc",
    subnetwork: "projects/acme-network-host/regions/europe-west1/subnetworks/gke-dev",
    podsRangeName: "gke-dev-pods",
    servicesRangeName: "gke-dev-services",
};
const byo: GkeClusterArgs = { tags, project: "acme-platform-dev", region: "europe-west1", kubernetesVersion: "1.33", network };

describe("GkeCluster in an existing network (bring your own network)", () => {
    let run: StackEvaluation;
    before(async () => {
        run = await runProgram(() => {
            const cluster = new GkeCluster("demo", byo);
            return { networkName: cluster.networkName, subnetworkId: cluster.subnetworkId, firewalls: cluster.firewalls };
        });
    });

    it("creates no network, subnetwork, router or Cloud NAT", () => {
        expect(run.resources.length).to.be.greaterThan(5);
        for (const type of ["gcp:compute/network:Network", "gcp:compute/subnetwork:Subnetwork", "gcp:compute/router:Router", "gcp:compute/routerNat:RouterNat"]) {
            expect(ofType(run.resources, type), type).to.deep.equal([]);
        }
    });

    it("puts the cluster in the given network and subnetwork, with pods and Services in the named secondary ranges", () => {
        const cluster = inputsOf(one(run.resources, "gcp:container/cluster:Cluster"));
        expect(cluster.network).to.equal("projects/acme-network-host/global/networks/shared-vpc");
        expect(cluster.subnetwork).to.equal("projects/acme-network-host/regions/europe-west1/subnetworks/gke-dev");
        expect(cluster.ipAllocationPolicy).to.deep.equal({ clusterSecondaryRangeName: "gke-dev-pods", servicesSecondaryRangeName: "gke-dev-services" });
        expect(cluster.networkingMode).to.equal("VPC_NATIVE");
    });

    it("scopes its firewall rules to this cluster's nodes, and adds none for the whole network", () => {
        const rules = ofType(run.resources, "gcp:compute/firewall:Firewall").map(inputsOf);
        expect(rules.map((r) => r.name).sort()).to.deep.equal(["demo-allow-control-plane", "demo-deny-all-ingress", "demo-deny-ssh"]);
        for (const r of rules) {
            expect(r.network).to.equal("projects/acme-network-host/global/networks/shared-vpc");
            // In the Shared VPC's host project, where the network (and so its rules) lives.
            expect(r.project).to.equal("acme-network-host");
            expect(r.targetServiceAccounts).to.deep.equal(["demo-nodes@acme-platform-dev.iam.gserviceaccount.com"]);
        }
    });

    it("reports the given network by name for the drift check", () => {
        expect(run.outputs.networkName).to.equal("shared-vpc");
        expect(run.outputs.subnetworkId).to.equal("projects/acme-network-host/regions/europe-west1/subnetworks/gke-dev");
        expect(run.outputs.firewalls).to.deep.include({ cloud: "gcp", project: "acme-network-host", network: "shared-vpc", firewalls: ["demo-deny-ssh", "demo-allow-control-plane", "demo-deny-all-ingress"] });
    });

    it("never lets paved drift judge or remove the network owner's own rules", async () => {
        const other: GceFirewall = { kind: "compute#firewall", id: "1", name: "allow-office-ssh", network: "https://www.googleapis.com/compute/v1/projects/acme-network-host/global/networks/shared-vpc", priority: 1000, direction: "INGRESS", sourceRanges: ["203.0.113.0/24"], allowed: [{ IPProtocol: "tcp", ports: ["22"] }] };
        const cloud: CloudRules = {
            listSecurityGroupRules: () => Promise.resolve([]),
            revokeSecurityGroupRule: () => Promise.reject(new Error("not on GCP")),
            listFirewalls: (project, name) => Promise.resolve(project === "acme-network-host" && name === "shared-vpc" ? [other] : []),
            deleteFirewall: () => Promise.reject(new Error("must not delete")),
        };
        const found = await findUnmanaged(run.outputs.firewalls as PlatformFirewalls, cloud);
        expect(found.map((u) => [u.text.length > 0, u.ownedBy])).to.deep.equal([[true, "the existing network's owner (paved-road judges only its own rules there)"]]);
        await removeUnmanaged(found[0], cloud).then(
            () => expect.fail("removed a rule of the network's owner"),
            (e: Error) => expect(e.message).to.match(/^refusing to remove .*allow-office-ssh.*: owned by the existing network's owner/),
        );
    });

    describe("validation", () => {
        const problems = (change: Partial<GkeClusterArgs>) => gkeClusterProblems(resolveGkeClusterArgs({ ...byo, ...change })).list;
        const withNetwork = (change: Record<string, unknown>) => problems({ network: { ...network, ...change } });

        it("accepts the existing network, by path or by name", () => {
            expect(problems({})).to.deep.equal([]);
            expect(withNetwork({ network: "shared-vpc", subnetwork: "gke-dev" })).to.deep.equal([]);
        });

        it("refuses a network name with capitals", () => {
            expect(withNetwork({ network: "Shared-VPC" })).to.deep.equal([{
                propertyPath: "network.network",
                reason: 'got "Shared-VPC": a VPC network is named by its name (1-63 lowercase letters, digits and "-", starting with a letter) or its path, e.g. "shared-vpc" or "projects/acme-network-host/global/networks/shared-vpc"',
            }]);
        });

        it("refuses a subnetwork name over 63 characters", () => {
            const long = `gke-${"x".repeat(60)}`;
            expect(withNetwork({ subnetwork: long }).map((p) => [p.propertyPath, p.reason.startsWith(`got "${long.slice(0, 10)}`)])).to.deep.equal([["network.subnetwork", true]]);
        });

        it("refuses a subnetwork of another region", () => {
            expect(withNetwork({ subnetwork: "projects/acme-network-host/regions/us-east1/subnetworks/gke-dev" })).to.deep.equal([{
                propertyPath: "network.subnetwork",
                reason: 'got "projects/acme-network-host/regions/us-east1/subnetworks/gke-dev" in us-east1, but the cluster is in europe-west1: nodes take addresses from a subnetwork of their own region, e.g. "projects/acme-network-host/regions/europe-west1/subnetworks/gke-nodes"',
            }]);
        });

        it("requires both secondary range names, distinct", () => {
            expect(withNetwork({ podsRangeName: undefined })).to.deep.equal([{
                propertyPath: "network.podsRangeName",
                reason: 'missing: name the subnetwork\'s secondary range for pods (VPC-native clusters take both by name), e.g. "pods"',
            }]);
            expect(withNetwork({ servicesRangeName: "gke-dev-pods" }).map((p) => p.propertyPath)).to.deep.equal(["network.servicesRangeName"]);
            expect(withNetwork({ servicesRangeName: "Services_1" }).map((p) => p.propertyPath)).to.deep.equal(["network.servicesRangeName"]);
        });

        it("says that nodeCidr, podCidr and serviceCidr cannot go with an existing network", () => {
            const found = problems({ nodeCidr: "10.10.0.0/20", podCidr: "10.16.0.0/14", serviceCidr: "10.20.0.0/20" });
            expect(found.map((p) => p.propertyPath)).to.deep.equal(["nodeCidr", "podCidr", "serviceCidr"]);
            expect(found[1].reason).to.equal(
                'got "10.16.0.0/14" together with network: podCidr shapes a network the cluster creates, and with an existing network none is created; remove it (the subnetwork\'s own ranges apply), or remove network to get a new network, e.g. network: { network: "shared-vpc", subnetwork: "gke-nodes", podsRangeName: "pods", servicesRangeName: "services" }',
            );
        });

        it("throws one InputPropertiesError from the component and creates nothing of it", async () => {
            const failure = await runFailing(() => {
                new GkeCluster("bad", { ...byo, network: { ...network, network: "Shared-VPC", podsRangeName: "" } });
            });
            expect(pulumi.InputPropertiesError.isInstance(failure.cause)).to.be.true;
            expect((failure.cause as pulumi.InputPropertiesError).errors.map((e) => e.propertyPath)).to.deep.equal(["network.network", "network.podsRangeName"]);
            expect(failure.resources.filter((r) => r.type !== "paved:cluster:GkeCluster" && r.type !== "pulumi:pulumi:Stack")).to.deep.equal([]);
        });
    });
});
