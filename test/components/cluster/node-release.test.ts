import { expect } from "chai";
import { amiArchitecture, checkReleaseVersion, releaseVersionParameter, versionStepProblem } from "../../../components/cluster/node-release";
import { Problems } from "../../../components/validation";

describe("node-release (pure)", () => {
    it("names AWS's public SSM parameter of the recommended AL2023 release per version and architecture", () => {
        // The path as AWS documents it (retrieve-ami-id.html) and the provider's NodeGroup example spells it.
        expect(releaseVersionParameter("1.33")).to.equal("/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/release_version");
        expect(releaseVersionParameter("1.34", "AL2023_ARM_64_STANDARD")).to.equal("/aws/service/eks/optimized-ami/1.34/amazon-linux-2023/arm64/standard/recommended/release_version");
    });

    it("knows the architecture of AL2023 AMI types only", () => {
        expect(amiArchitecture("AL2023_x86_64_STANDARD")).to.equal("x86_64");
        expect(amiArchitecture("AL2023_ARM_64_STANDARD")).to.equal("arm64");
        expect(() => amiArchitecture("AL2_x86_64")).to.throw('not an AL2023 AMI type: "AL2_x86_64"');
    });

    describe("a pinned releaseVersion", () => {
        const problemsOf = (release: unknown, version = "1.33") => {
            const problems = new Problems();
            checkReleaseVersion(problems, "releaseVersion", release, version);
            return problems.list;
        };

        it("accepts a release of the cluster's version, or none (AWS's recommended release)", () => {
            expect(problemsOf("1.33.0-20250704")).to.deep.equal([]);
            expect(problemsOf(undefined)).to.deep.equal([]);
        });

        it("refuses a release of another Kubernetes version, naming both and the fix", () => {
            expect(problemsOf("1.32.5-20250704")).to.deep.equal([{
                propertyPath: "releaseVersion",
                reason: 'got "1.32.5-20250704" but the cluster runs Kubernetes 1.33: nodes take a release of the cluster\'s version, e.g. "1.33.0-20250704", or remove it to follow AWS\'s recommended release',
            }]);
        });

        it("refuses what is not a release (an AMI id, a bare version, a number)", () => {
            for (const bad of ["ami-0abcdef1234567890", "1.33", 20250704]) {
                expect(problemsOf(bad).map((p) => p.reason)).to.deep.equal([
                    `got ${JSON.stringify(bad)}: an EKS AMI release is "<kubernetes version>-<build date>", e.g. "1.33.0-20250704"`,
                ]);
            }
        });
    });

    describe("the Kubernetes version step", () => {
        it("allows staying and going up one minor version", () => {
            expect(versionStepProblem("1.33", "1.33")).to.equal(undefined);
            expect(versionStepProblem("1.33", "1.34")).to.equal(undefined);
        });

        it("refuses two minor versions at once, with the next version to go to", () => {
            expect(versionStepProblem("1.32", "1.34")).to.equal(
                'got "1.34" but the cluster runs 1.32 (its last deployment): EKS and GKE upgrade a control plane one minor version at a time; set "1.33", run up, then go on to "1.34"',
            );
        });

        it("refuses a downgrade", () => {
            expect(versionStepProblem("1.33", "1.32")).to.equal('got "1.32" but the cluster runs 1.33 (its last deployment): EKS and GKE cannot downgrade a control plane; set "1.33" back');
        });
    });
});
