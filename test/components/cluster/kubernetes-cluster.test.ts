import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { EksCluster, GkeCluster, KubernetesCluster, onCluster } from "../../../components/cluster";
import { StackEvaluation, inputsOf, isSecret, one, providerUrn, runProgram, valueOf } from "../../harness";

const tags = { environment: "dev", owner: "platform-team", costCenter: "cc-1001" };

/** A stand-in for the cloud-agnostic components of later issues: it only knows the interface. */
class TeamNamespace extends pulumi.ComponentResource {
    constructor(name: string, cluster: KubernetesCluster, opts?: pulumi.ComponentResourceOptions) {
        super("test:index:TeamNamespace", name, {}, opts);
        new k8s.core.v1.Namespace(name, { metadata: { name, labels: { cloud: cluster.cloud } } }, onCluster(cluster, this));
        this.registerOutputs({});
    }
}

const clusters: Record<string, () => KubernetesCluster> = {
    EksCluster: () => new EksCluster("shared", { tags, kubernetesVersion: "1.33" }),
    GkeCluster: () => new GkeCluster("shared", { tags, kubernetesVersion: "1.33", project: "acme-platform-dev", region: "europe-west1" }),
};

describe("KubernetesCluster (the interface both clusters implement)", () => {
    for (const [kind, create] of Object.entries(clusters)) {
        describe(kind, () => {
            let run: StackEvaluation;
            let fields: { name: string; endpoint: string; kubeconfigSecret: boolean };
            before(async () => {
                run = await runProgram(async () => {
                    const cluster = create();
                    new TeamNamespace("team-a", cluster);
                    fields = {
                        name: await valueOf(cluster.clusterName),
                        endpoint: await valueOf(cluster.endpoint),
                        kubeconfigSecret: await pulumi.isSecret(cluster.kubeconfig),
                    };
                });
            });

            it("deploys Kubernetes resources through the cluster's own provider", () => {
                const namespace = one(run.resources, "kubernetes:core/v1:Namespace");
                const provider = one(run.resources, "pulumi:providers:kubernetes");
                expect(providerUrn(namespace)).to.equal(provider.urn);
                expect(inputsOf(namespace).metadata.labels.cloud).to.equal(kind === "EksCluster" ? "aws" : "gcp");
            });

            it("exposes its name, an https endpoint and a secret exec-auth kubeconfig", () => {
                expect(fields.name).to.be.a("string").and.not.be.empty;
                expect(fields.endpoint).to.match(/^https:\/\//);
                expect(fields.kubeconfigSecret).to.be.true;
                const provider = one(run.resources, "pulumi:providers:kubernetes");
                expect(isSecret(provider.inputs.kubeconfig)).to.be.true;
                expect(JSON.parse(inputsOf(provider).kubeconfig).users[0].user).to.have.property("exec");
            });
        });
    }
});
