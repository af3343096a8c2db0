import { expect } from "chai";
import { CostReport } from "../../components/nodepools/cost";
import { listStacks } from "../../automation/offline/stack-file";
import { REPO_ROOT, StackEvaluation, inputsOf, isSecret, ofType, one, providerUrn, runStack } from "../harness";

/** Whole shipped stacks, evaluated through the real program with their `Pulumi.<stack>.yaml`. */
describe("shipped stacks", () => {
    /** Regional stacks only; the preview (PR) stack has its own expectations below. */
    const runs: Record<string, StackEvaluation> = {};
    let pr: StackEvaluation;
    let global: StackEvaluation;
    let local: StackEvaluation;
    before(async () => {
        for (const stack of listStacks(REPO_ROOT)) {
            const run = await runStack(stack);
            if (stack === "pr") pr = run;
            else if (stack === "prod-global") global = run;
            else if (stack === "local") local = run;
            else runs[stack] = run;
        }
        // Every per-stack loop below runs over exactly these: none of them can pass by running zero times.
        expect(Object.keys(runs).sort()).to.deep.equal(["dev", "dev-gcp", "prod-us-east-1", "prod-us-west-2", "staging"]);
    });

    it("ships an AWS and a GCP regional stack", () => {
        expect(Object.keys(runs)).to.include.members(["dev", "staging", "dev-gcp", "prod-us-east-1", "prod-us-west-2"]);
    });

    it("dev (AWS): one EKS cluster in the configured region, sized from the stack file", () => {
        const dev = runs.dev;
        const provider = one(dev.resources, "pulumi:providers:aws");
        expect(inputsOf(provider).region).to.equal("eu-central-1");
        const cluster = one(dev.resources, "paved:cluster:EksCluster", "paved-dev");
        const eks = one(dev.resources, "aws:eks/cluster:Cluster");
        expect(eks.parent).to.equal(cluster.urn);
        expect(providerUrn(eks)).to.equal(provider.urn);
        expect(inputsOf(eks).name).to.equal("paved-dev");
        expect(inputsOf(one(dev.resources, "aws:eks/nodeGroup:NodeGroup", "paved-dev-system")).scalingConfig).to.include({ minSize: 1, maxSize: 2 });
        expect(inputsOf(eks).tags).to.include({ environment: "dev", "cost-center": "cc-1001", "team-channel": "platform" });
        expect(ofType(dev.resources, "aws:ec2/natGateway:NatGateway")).to.have.length(1);
    });

    it("prod-us-east-1: production defaults — a NAT gateway per zone, deletion protection, an admin access entry", () => {
        const prod = runs["prod-us-east-1"];
        expect(ofType(prod.resources, "aws:ec2/natGateway:NatGateway")).to.have.length(3);
        expect(inputsOf(one(prod.resources, "aws:eks/cluster:Cluster")).deletionProtection).to.equal(true);
        expect(inputsOf(one(prod.resources, "aws:eks/accessEntry:AccessEntry")).principalArn).to.match(/:role\/platform-admin$/);
        expect(inputsOf(one(prod.resources, "aws:ec2/vpc:Vpc")).cidrBlock).to.equal("10.1.0.0/16");
    });

    it("dev-gcp: one GKE cluster in the configured project and region", () => {
        const gcp = runs["dev-gcp"];
        expect(inputsOf(one(gcp.resources, "pulumi:providers:gcp"))).to.include({ project: "acme-platform-dev", region: "europe-west1" });
        const cluster = inputsOf(one(gcp.resources, "gcp:container/cluster:Cluster"));
        expect(cluster).to.include({ location: "europe-west1", project: "acme-platform-dev" });
        expect(ofType(gcp.resources, "aws:eks/cluster:Cluster")).to.be.empty;
    });

    it("exports the cluster's name, endpoint and a secret kubeconfig from every stack", () => {
        for (const [stack, run] of Object.entries(runs)) {
            expect(run.outputs, stack).to.include.keys("cloud", "region", "clusterName", "endpoint", "kubeconfig");
            expect(isSecret(run.outputs.kubeconfig), `${stack} kubeconfig`).to.be.true;
            expect(String(run.outputs.endpoint)).to.match(/^https:\/\//);
        }
    });

    it("dev: a spot pool that sleeps Mon–Fri 20:00–07:00 Berlin time, the autoscaler, KEDA and the documented cost", () => {
        const dev = runs.dev;
        const spot = inputsOf(one(dev.resources, "aws:eks/nodeGroup:NodeGroup", "apps-spot"));
        expect(spot.capacityType).to.equal("SPOT");
        const actions = ofType(dev.resources, "aws:autoscaling/schedule:Schedule");
        const at = (prefix: string) => actions.filter((a) => a.name.startsWith(prefix)).map(inputsOf).map((a) => [a.recurrence, a.timeZone, a.desiredCapacity]);
        expect(actions).to.have.length(4);
        // The system group wakes 15 minutes before the apps, so KEDA and the autoscaler are up when the workloads come back.
        expect(at("paved-dev-system-")).to.have.deep.members([
            ["45 6 * * 1-5", "Europe/Berlin", 1],
            ["0 20 * * 1-5", "Europe/Berlin", 0],
        ]);
        expect(at("apps-spot-")).to.have.deep.members([
            ["0 7 * * 1-5", "Europe/Berlin", 0],
            ["0 20 * * 1-5", "Europe/Berlin", 0],
        ]);
        const releases = ofType(dev.resources, "kubernetes:helm.sh/v3:Release").map((r) => inputsOf(r).chart);
        expect(releases).to.include.members(["cluster-autoscaler", "keda"]);
        const scaled = inputsOf(one(dev.resources, "kubernetes:keda.sh/v1alpha1:ScaledObject"));
        expect(scaled.metadata).to.deep.include({ name: "web-on-hours", namespace: "shop" });
        const apps = (dev.outputs.costReport as CostReport).pools.find((p) => p.pool === "apps")!;
        expect(apps).to.deep.include({ nodes: 3, instanceType: "m6i.large", savingsRatio: 0.8646 });
        expect(apps.planned).to.deep.equal({ nodeHoursPerWeek: 195, monthlyUsd: 28.47 });
    });

    it("dev and staging: every node sleeps, the system pool on spot too — nodes cost 13.6 % of on-demand 24/7 (35.2 % before)", () => {
        for (const stack of ["dev", "staging"]) {
            const run = runs[stack];
            expect(inputsOf(one(run.resources, "aws:eks/nodeGroup:NodeGroup", `paved-${stack}-system`)).capacityType, stack).to.equal("SPOT");
            const report = run.outputs.costReport as CostReport;
            expect(report.pools.map((p) => p.pool), stack).to.deep.equal(["system", "apps"]);
            // System: 1 × m6i.large, spot, Mon–Fri 06:45–20:00 = 66.25 h a week:
            // 66.25 × 730 / 168 × $0.096 × 0.35 = $9.6725 a month, against 730 × $0.096 = $70.08 on demand 24/7.
            expect(report.pools[0], stack).to.deep.include({ nodes: 1, instanceType: "m6i.large", spot: true, upHoursPerWeek: 66.25 });
            expect(report.pools[0].planned, stack).to.deep.equal({ nodeHoursPerWeek: 66.25, monthlyUsd: 9.67 });
            expect(report.pools[0].baseline, stack).to.deep.equal({ nodeHoursPerWeek: 168, monthlyUsd: 70.08 });
            // Apps: 3 × 65 h × 730 / 168 × $0.096 × 0.35 = $28.47. Total $38.1425 of $280.32 = 13.61 %.
            expect(report.pools[1], stack).to.deep.include({ nodes: 3, spot: true, upHoursPerWeek: 65 });
            expect(report.total, stack).to.deep.equal({ baselineMonthlyUsd: 280.32, plannedMonthlyUsd: 38.14, savingsRatio: 0.8639, shareOfOnDemand: 0.1361 });
        }
    });

    it("dev-gcp: the spot system pools sleep through Cloud Scheduler, waking at 06:45 UTC, 15 minutes before the apps' 07:00 — nodes 13.8 % of on-demand 24/7 (57.5 % before)", () => {
        const gcp = runs["dev-gcp"];
        const jobs = ofType(gcp.resources, "gcp:cloudscheduler/job:Job").map(inputsOf);
        const call = (j: Record<string, any>) => [j.schedule, j.httpTarget.uri.split(":").pop(), JSON.parse(Buffer.from(j.httpTarget.body, "base64").toString())];
        expect(jobs.map(call)).to.have.deep.members([
            ["15 20 * * 1-5", "setAutoscaling", { autoscaling: { enabled: false } }],
            ["20 20 * * 1-5", "setSize", { nodeCount: 0 }],
            ["15 20 * * 1-5", "setAutoscaling", { autoscaling: { enabled: false } }],
            ["20 20 * * 1-5", "setSize", { nodeCount: 0 }],
            ["45 6 * * 1-5", "setSize", { nodeCount: 1 }],
            ["50 6 * * 1-5", "setAutoscaling", { autoscaling: { enabled: true, minNodeCount: 1, maxNodeCount: 2 } }],
            ["50 6 * * 1-5", "setAutoscaling", { autoscaling: { enabled: true, minNodeCount: 0, maxNodeCount: 2 } }],
        ]);
        expect(jobs.every((j) => j.timeZone === "UTC" && j.httpTarget.oauthToken.serviceAccountEmail.startsWith("paved-dev-gcp-system-scaler@"))).to.equal(true);
        const report = gcp.outputs.costReport as CostReport;
        // System: 3 × e2-standard-4 (1 per zone), spot, Mon–Fri 06:45–20:15 = 67.5 h: 3 × 67.5 × 730 / 168 × $0.134012 × 0.35 = $41.27
        // of 3 × 730 × $0.134012 = $293.49. Apps: 2 × n2-standard-4, 65 h: $38.40 of $283.58. Total $79.67 of $577.07 = 13.81 %.
        expect(report.pools.map((p) => [p.pool, p.nodes, p.instanceType, p.spot, p.upHoursPerWeek, p.planned.monthlyUsd, p.baseline.monthlyUsd])).to.deep.equal([
            ["system", 3, "e2-standard-4", true, 67.5, 41.27, 293.49],
            ["apps", 2, "n2-standard-4", true, 65, 38.4, 283.58],
        ]);
        expect(report.total).to.deep.equal({ baselineMonthlyUsd: 577.07, plannedMonthlyUsd: 79.67, savingsRatio: 0.8619, shareOfOnDemand: 0.1381 });
    });

    it("prod-us-east-1: always-on critical pool with an on-demand fallback, nothing scheduled", () => {
        const prod = runs["prod-us-east-1"];
        // Production keeps an on-demand system pool around the clock.
        expect(inputsOf(one(prod.resources, "aws:eks/nodeGroup:NodeGroup", "paved-prod-us-east-1-system")).capacityType).to.equal("ON_DEMAND");
        const system = (prod.outputs.costReport as CostReport).pools[0];
        expect(system).to.deep.include({ pool: "system", spot: false, upHoursPerWeek: 168, savingsRatio: 0 });
        expect(ofType(prod.resources, "aws:eks/nodeGroup:NodeGroup").map((g) => g.name)).to.have.members(["paved-prod-us-east-1-system", "apps-spot", "apps-ondemand"]);
        expect(ofType(prod.resources, "aws:autoscaling/schedule:Schedule")).to.be.empty;
        expect(ofType(prod.resources, "paved:nodepools:WorkloadSchedule")).to.be.empty;
    });

    it("dev-gcp: spot pools per machine type behind a ComputeClass, and KEDA on the default UTC schedule", () => {
        const gcp = runs["dev-gcp"];
        const spot = ofType(gcp.resources, "gcp:container/nodePool:NodePool").filter((p) => p.name.startsWith("apps-") && inputsOf(p).nodeConfig.spot === true);
        expect(spot.map((p) => inputsOf(p).nodeConfig.machineType)).to.deep.equal(["n2-standard-4", "n2d-standard-4", "e2-standard-4"]);
        expect(ofType(gcp.resources, "kubernetes:cloud.google.com/v1:ComputeClass")).to.have.length(1);
        expect(ofType(gcp.resources, "kubernetes:helm.sh/v3:Release").map((r) => inputsOf(r).chart)).to.include("keda");
        expect((gcp.outputs.costReport as CostReport).pools.map((p) => p.pool)).to.deep.equal(["system", "apps"]);
    });

    it("dev and prod: Vault auth mounted per cluster, apps bound to their own paths", () => {
        expect(inputsOf(one(runs.dev.resources, "vault:index/authBackend:AuthBackend")).path).to.equal("kubernetes-dev-eu-central-1");
        expect(inputsOf(one(runs["prod-us-east-1"].resources, "vault:index/authBackend:AuthBackend")).path).to.equal("kubernetes-prod-us-east-1");
        const prodPolicy = inputsOf(one(runs["prod-us-east-1"].resources, "vault:index/policy:Policy", "vault-payments-payments"));
        expect(prodPolicy.name).to.equal("prod-payments-payments");
        expect(prodPolicy.policy).to.include('path "secret/data/prod/payments/db"');
        expect(one(runs.dev.resources, "pulumi:providers:vault").inputs).to.deep.include({ address: "https://vault.paved.example.com:8200" });
        expect(one(runs.dev.resources, "pulumi:providers:vault").inputs).to.not.have.property("token");
    });

    it("every regional stack: the observability stack, with Grafana's admin login synced from Vault", () => {
        for (const [stack, run] of Object.entries(runs)) {
            expect(ofType(run.resources, "paved:observability:ObservabilityStack"), stack).to.have.length(1);
            const grafanaSecret = ofType(run.resources, "kubernetes:secrets.hashicorp.com/v1beta1:VaultStaticSecret")
                .map(inputsOf)
                .find((s) => s.metadata.name === "grafana-admin");
            const environment = stack.startsWith("prod") ? "prod" : stack === "staging" ? "staging" : "dev";
            expect(grafanaSecret?.spec, stack).to.deep.include({ path: `${environment}/grafana/admin`, mount: "secret" });
            expect(grafanaSecret?.metadata.namespace).to.equal("monitoring");
        }
        const monitors = (stack: string) => ofType(runs[stack].resources, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor").map((r) => inputsOf(r).metadata.name);
        expect(monitors("dev")).to.have.members(["otel-collector", "cluster-autoscaler", "keda"]);
        expect(monitors("prod-us-east-1")).to.have.members(["otel-collector", "cluster-autoscaler"]);
        expect(monitors("dev-gcp")).to.have.members(["otel-collector", "keda"]);
        const prodRule = inputsOf(one(runs["prod-us-east-1"].resources, "kubernetes:monitoring.coreos.com/v1:PrometheusRule"));
        expect(JSON.stringify(prodRule.spec)).to.include("(14.4 * 0.0005)");
    });

    it("GitOps and Argo Rollouts on every regional stack; the PR ApplicationSet on dev only", () => {
        for (const [stack, run] of Object.entries(runs)) {
            expect(ofType(run.resources, "paved:delivery:GitOps"), stack).to.have.length(1);
            expect(ofType(run.resources, "paved:delivery:ProgressiveDelivery"), stack).to.have.length(1);
            const synced = ofType(run.resources, "kubernetes:secrets.hashicorp.com/v1beta1:VaultStaticSecret").map(inputsOf);
            const repo = synced.find((o) => o.metadata.name === "argocd-repo");
            expect(repo?.spec.destination.labels, stack).to.deep.equal({ "argocd.argoproj.io/secret-type": "repo-creds" });
            // The Gateway's certificate: synced from Vault as a TLS Secret that Envoy Gateway reloads by itself.
            const tls = synced.find((o) => o.metadata.name === "gateway-tls")!;
            expect(tls.metadata.namespace, stack).to.equal("gateway");
            expect(tls.spec, stack).to.deep.include({ path: `${String(run.outputs.environment)}/gateway/tls`, rolloutRestartTargets: [] });
            expect(tls.spec.destination, stack).to.deep.include({ name: "gateway-tls", type: "kubernetes.io/tls" });
            const gateway = inputsOf(one(run.resources, "kubernetes:gateway.networking.k8s.io/v1:Gateway"));
            expect(gateway.spec.listeners[1].tls.certificateRefs, stack).to.deep.equal([{ kind: "Secret", name: "gateway-tls" }]);
        }
        expect(ofType(runs.dev.resources, "paved:delivery:PrEnvironments")).to.have.length(1);
        expect(ofType(runs["prod-us-east-1"].resources, "paved:delivery:PrEnvironments")).to.be.empty;
        expect(inputsOf(one(runs.dev.resources, "aws:route53/record:Record", "pr-environments-wildcard")).name).to.equal("*.dev.paved.example.com");
        const prodArgo = ofType(runs["prod-us-east-1"].resources, "kubernetes:helm.sh/v3:Release").map(inputsOf).find((r) => r.chart === "argo-cd")!;
        expect(prodArgo.values.configs.cm["oidc.config"]).to.include("clientSecret: $argocd-sso:clientSecret");
        const rollout = inputsOf(one(runs["prod-us-east-1"].resources, "kubernetes:argoproj.io/v1alpha1:Rollout"));
        expect(rollout.spec.replicas).to.equal(6);
    });

    it("pr (preview): a namespace on the dev cluster through a StackReference and its own record — no cluster, no nodes", () => {
        expect(pr.resources.filter((r) => /eks\/cluster|container\/cluster|nodeGroup|nodePool/.test(r.type))).to.be.empty;
        expect(inputsOf(one(pr.resources, "kubernetes:core/v1:Namespace")).metadata.name).to.equal("pr-1");
        expect(inputsOf(one(pr.resources, "kubernetes:core/v1:ResourceQuota")).spec.hard).to.include({ "requests.cpu": "4", pods: "30" });
        expect(inputsOf(one(pr.resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy")).spec.policyTypes).to.deep.equal(["Ingress"]);
        const record = inputsOf(one(pr.resources, "aws:route53/record:Record"));
        expect(record).to.include({ name: "pr-1.dev.paved.example.com", type: "CNAME" });
        expect(record.records[0]).to.match(/^k8s-gateway-\w+\.elb\.eu-central-1\.amazonaws\.com$/);
        const provider = one(pr.resources, "pulumi:providers:kubernetes");
        expect(isSecret(provider.inputs.kubeconfig)).to.be.true;
        expect(pr.outputs.url).to.equal("https://pr-1.dev.paved.example.com");
    });

    it("prod-global: Route 53 failover from the primary to the standby, each region health-checked, the drill knob off", () => {
        const checks = ofType(global.resources, "aws:route53/healthCheck:HealthCheck").map(inputsOf).sort((a, b) => String(a.fqdn).localeCompare(String(b.fqdn)));
        expect(checks.map((c) => [c.fqdn, c.searchString, c.invertHealthcheck])).to.deep.equal([
            ["health-us-east-1.paved.example.com", "us-east-1", false],
            ["health-us-west-2.paved.example.com", "us-west-2", false],
        ]);
        const failover = ofType(global.resources, "aws:route53/record:Record").map(inputsOf).filter((r) => r.failoverRoutingPolicies)
            .sort((a, b) => `${a.name}${a.setIdentifier}`.localeCompare(`${b.name}${b.setIdentifier}`));
        expect(failover.map((r) => [r.name, r.failoverRoutingPolicies[0].type, r.ttl])).to.deep.equal([
            ["health.paved.example.com", "PRIMARY", 30], ["health.paved.example.com", "SECONDARY", 30],
            ["shop.paved.example.com", "PRIMARY", 30], ["shop.paved.example.com", "SECONDARY", 30],
        ]);
        expect(failover[0].records[0]).to.match(/\.elb\.us-east-1\.amazonaws\.com$/);
        expect(failover[1].records[0]).to.match(/\.elb\.us-west-2\.amazonaws\.com$/);
        expect(global.outputs).to.deep.include({ globalEndpoint: "https://health.paved.example.com/healthz", drill: false, failoverBoundSeconds: 60 });
        expect(global.outputs.standby).to.deep.equal({ stack: "prod-us-west-2", region: "us-west-2", healthEndpoint: "https://health-us-west-2.paved.example.com/healthz" });
    });

    it("local: only Kubernetes-level components, onto the configured kubeconfig context, no cloud resource", () => {
        expect(local.resources.filter((r) => /^(aws|gcp|vault):/.test(r.type))).to.be.empty;
        expect(inputsOf(one(local.resources, "pulumi:providers:kubernetes")).context).to.equal("kind-paved");
        expect(ofType(local.resources, "paved:delivery:GitOps")).to.have.length(1);
        expect(inputsOf(one(local.resources, "kubernetes:argoproj.io/v1alpha1:Rollout")).spec.replicas).to.equal(1);
    });

    it("standby has exactly the primary's components", () => {
        // Names derived from the stack's own name (the cluster's) are the same component in both.
        const components = (stack: string) =>
            runs[stack].resources.filter((r) => !r.custom).map((r) => `${r.type} ${r.name.replace(stack, "{stack}")}`).sort();
        expect(components("prod-us-west-2")).to.deep.equal(components("prod-us-east-1"));
    });

    it("exports a health endpoint of its own region that answers with the region's name, through the shared Gateway", async () => {
        const { HTTPRoute } = await import("@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute");
        for (const [stack, run] of Object.entries(runs)) {
            const domain = inputsOf(one(run.resources, "kubernetes:gateway.networking.k8s.io/v1:Gateway")).spec.listeners[0].hostname.slice(2);
            const region = String(run.outputs.region);
            expect(run.outputs.healthEndpoint, stack).to.equal(`https://health-${region}.${domain}/healthz`);
            const echo = inputsOf(one(run.resources, "kubernetes:apps/v1:Deployment", "health-echo"));
            expect(echo.spec.template.spec.containers[0].args).to.deep.equal([`-text=${region}`, "-listen=:5678"]);
            const route = ofType(run.resources, "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute").map(inputsOf).find((r) => r.metadata.name === "health")!;
            new HTTPRoute(route as never).validate();
            expect(route.spec.hostnames).to.deep.equal([`health.${domain}`, `health-${region}.${domain}`]);
            // The region publishes its own health name, pointing at its Gateway's load balancer.
            const records = ofType(run.resources, run.outputs.cloud === "aws" ? "aws:route53/record:Record" : "gcp:dns/recordSet:RecordSet").map(inputsOf);
            const own = records.find((r) => String(r.name).startsWith(`health-${region}.`))!;
            expect(own, stack).to.deep.include(run.outputs.cloud === "aws"
                ? { name: `health-${region}.${domain}`, type: "CNAME", records: [run.outputs.gatewayHostname] }
                : { name: `health-${region}.${domain}.`, type: "A", rrdatas: [run.outputs.gatewayAddress] });
        }
    });

    it("parents every resource under the stack, through its component", () => {
        for (const [stack, run] of Object.entries(runs)) {
            const urns = new Set(run.resources.map((r) => r.urn));
            const orphans = run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack" && (!r.parent || !urns.has(r.parent)));
            expect(orphans.map((r) => r.urn), stack).to.be.empty;
        }
    });
});
