import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { AMI_TYPES, ec2Architecture, gceArchitecture } from "../../../components/cluster/architecture";
import { eksClusterProblems, resolveEksClusterArgs } from "../../../components/cluster/eks-args";
import { gkeClusterProblems, resolveGkeClusterArgs } from "../../../components/cluster/gke-args";
import { UPSTREAM_DIR } from "../../upstream";

const tags = { environment: "dev", owner: "platform-team", costCenter: "cc-1001" };

/** Cluster Autoscaler's EC2 list (vendored byte-for-byte): instance type → architecture, as AWS's pricing API reports it. */
function upstreamArchitectures(): Map<string, string> {
    const source = fs.readFileSync(path.join(UPSTREAM_DIR, "cluster-autoscaler", "ec2_instance_types.go"), "utf8");
    const found = new Map<string, string>();
    for (const m of source.matchAll(/InstanceType:\s*"([^"]+)",[^}]*?Architecture:\s*"([^"]+)"/g)) found.set(m[1], m[2]);
    return found;
}

describe("architecture from the instance family", () => {
    it("agrees with the architecture AWS reports for every EC2 type in Cluster Autoscaler's list", () => {
        const upstream = upstreamArchitectures();
        expect(upstream.size).to.be.greaterThan(1000);
        expect([...upstream.values()].filter((a) => a === "arm64").length).to.be.greaterThan(200);
        const disagreeing = [...upstream].filter(([type, arch]) => ec2Architecture(type) !== arch);
        expect(disagreeing).to.deep.equal([]);
    });

    it("reads Graviton from a g after the generation digit, and a1", () => {
        expect(["m6g.large", "m7g.large", "m8g.large", "c6g.large", "c7g.xlarge", "r6g.large", "r7g.large", "t4g.medium", "c6gn.large", "x2gd.large", "im4gn.large", "a1.large"].map(ec2Architecture))
            .to.deep.equal(Array(12).fill("arm64"));
        expect(["m6i.large", "m6a.large", "m7i.large", "g5.xlarge", "g4dn.xlarge", "t3.medium", "c5n.large"].map(ec2Architecture)).to.deep.equal(Array(7).fill("amd64"));
    });

    it("knows the Arm GCE series (T2A, C4A, N4A, A4X) and nothing else as Arm", () => {
        expect(["t2a-standard-4", "c4a-standard-4", "n4a-standard-4", "a4x-highgpu-4g"].map(gceArchitecture)).to.deep.equal(Array(4).fill("arm64"));
        expect(["e2-standard-4", "n2-standard-4", "n2d-standard-4", "t2d-standard-4", "c4d-standard-4", "a2-highgpu-1g"].map(gceArchitecture)).to.deep.equal(Array(6).fill("amd64"));
    });

    it("maps each architecture to the EKS AL2023 AMI type (EKS API Nodegroup.amiType)", () => {
        expect(AMI_TYPES).to.deep.equal({ amd64: "AL2023_x86_64_STANDARD", arm64: "AL2023_ARM_64_STANDARD" });
    });

    it("rejects a system pool that mixes architectures, naming the types of each", () => {
        const eks = eksClusterProblems(resolveEksClusterArgs("demo", { tags, kubernetesVersion: "1.33", systemPool: { instanceTypes: ["m7g.large", "m6i.large", "m6g.large"] } })).list;
        expect(eks).to.deep.equal([{
            propertyPath: "systemPool.instanceTypes",
            reason: 'got ["m7g.large","m6i.large","m6g.large"]: mixes Arm (m7g.large, m6g.large) and x86 (m6i.large) types; a pool\'s nodes run one image, so use one architecture per pool, e.g. ["m7g.large", "m6g.large", "m8g.large"] or ["m6i.large", "m6a.large", "m7i.large"]',
        }]);
        const gke = gkeClusterProblems(resolveGkeClusterArgs({ tags, project: "acme-platform-dev", region: "europe-west1", kubernetesVersion: "1.33", systemPool: { instanceTypes: ["c4a-standard-4"], spot: false } })).list;
        expect(gke).to.deep.equal([]);
    });
});
