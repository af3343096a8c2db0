import { expect } from "chai";
import { eksKubeconfig, gkeKubeconfig } from "../../../components/cluster";

const cluster = { name: "paved-dev", endpoint: "https://example.eks.amazonaws.com", certificateAuthorityData: "Q0E=" };

describe("kubeconfig", () => {
    it("authenticates to EKS through `aws eks get-token` for the cluster's region", () => {
        const config = JSON.parse(eksKubeconfig({ ...cluster, region: "us-west-2" }));
        expect(config["current-context"]).to.equal("paved-dev");
        expect(config.clusters[0].cluster).to.deep.equal({ server: cluster.endpoint, "certificate-authority-data": "Q0E=" });
        expect(config.users[0].user.exec).to.deep.include({
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["--region", "us-west-2", "eks", "get-token", "--cluster-name", "paved-dev", "--output", "json"],
            interactiveMode: "Never",
        });
    });

    it("authenticates to GKE through gke-gcloud-auth-plugin", () => {
        const user = JSON.parse(gkeKubeconfig(cluster)).users[0].user;
        expect(Object.keys(user)).to.deep.equal(["exec"]);
        expect(user.exec.command).to.equal("gke-gcloud-auth-plugin");
        expect(user.exec).to.not.have.property("args");
    });
});
