import { expect } from "chai";
import { EksCluster, GkeCluster } from "../../../components/cluster";
import { PrEnvironments, PrEnvironmentsArgs, ProgressiveDelivery, prEnvironmentsProblems } from "../../../components/delivery";
import { StackEvaluation, inputsOf, one, runProgram } from "../../harness";

const tags = { environment: "dev", owner: "o", costCenter: "c" };
const args = {
    source: { repoUrl: "https://github.com/acme/shop.git", path: "deploy/chart" },
    github: { owner: "acme", repo: "shop", tokenSecret: { secretName: "github-token", key: "token" } },
    domain: "dev.example.com",
};

function build(cloud: "aws" | "gcp"): Promise<StackEvaluation> {
    return runProgram(() => {
        const cluster = cloud === "aws"
            ? new EksCluster("demo", { tags, kubernetesVersion: "1.33" })
            : new GkeCluster("demo", { tags, kubernetesVersion: "1.33", project: "acme-platform-dev", region: "europe-west1" });
        const delivery = new ProgressiveDelivery("delivery", { cluster, domain: args.domain, prometheusAddress: "http://prometheus:9090" });
        const dns: PrEnvironmentsArgs["dns"] = cloud === "aws" ? { cloud } : { cloud, project: "acme-platform-dev", managedZone: "dev-example-com" };
        new PrEnvironments("prs", { ...args, cluster, gateway: delivery.gateway, dns });
    });
}

describe("PrEnvironments", () => {
    let aws: StackEvaluation;
    let gcp: StackEvaluation;
    before(async () => {
        aws = await build("aws");
        gcp = await build("gcp");
    });

    it("deploys each open PR into pr-<number> at pr-<number>.<domain> with the pull-request generator", async () => {
        const { ApplicationSet } = await import("@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet");
        const set = inputsOf(one(aws.resources, "kubernetes:argoproj.io/v1alpha1:ApplicationSet"));
        new ApplicationSet(set as never).validate();
        expect(set.spec.generators).to.deep.equal([{
            pullRequest: { github: { owner: "acme", repo: "shop", tokenRef: { secretName: "github-token", key: "token" } }, requeueAfterSeconds: 300 },
        }]);
        const template = set.spec.template.spec;
        expect(template.destination.namespace).to.equal("pr-{{number}}");
        expect(template.source.targetRevision).to.equal("{{head_sha}}");
        expect(template.source.helm.parameters).to.deep.include({ name: "host", value: "pr-{{number}}.dev.example.com" });
        expect(template.syncPolicy.automated).to.deep.equal({ prune: true, selfHeal: true });
    });

    it("publishes one wildcard record *.<domain> to the Gateway's load balancer: a Route 53 CNAME on AWS", () => {
        const record = inputsOf(one(aws.resources, "aws:route53/record:Record"));
        expect(record).to.include({ name: "*.dev.example.com", type: "CNAME", ttl: 60 });
        expect(record.records).to.have.length(1);
        expect(record.records[0]).to.match(/^k8s-gateway-\w+\.elb\.us-east-1\.amazonaws\.com$/);
        expect(record.zoneId).to.match(/^Z[0-9A-F]{12}$/);
    });

    it("and a Cloud DNS A record on GCP", () => {
        const record = inputsOf(one(gcp.resources, "gcp:dns/recordSet:RecordSet"));
        expect(record).to.deep.include({ name: "*.dev.example.com.", type: "A", ttl: 60, managedZone: "dev-example-com", rrdatas: ["203.0.113.10"] });
    });

    it("rejects a bad domain and a repo URL that is not https/ssh", () => {
        const problems = prEnvironmentsProblems({ ...args, domain: "dev example", source: { ...args.source, repoUrl: "github.com/acme/shop" }, dns: { cloud: "aws" } });
        expect(problems.list.map((p) => p.propertyPath)).to.deep.equal(["source.repoUrl", "domain"]);
    });
});
