import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { plaintextSecrets } from "../../../automation/offline/secret-scan";
import { EksCluster } from "../../../components/cluster";
import { ARGO_CD_CHART, GitOps, GitOpsArgs, argoCdValues, gitOpsProblems } from "../../../components/delivery";
import { StackEvaluation, inputsOf, one, runFailing, runProgram } from "../../harness";
import { unknownValuePaths, upstreamChart } from "../../upstream";

const tags = { environment: "dev", owner: "o", costCenter: "c" };
const source = { repoUrl: "https://github.com/acme/platform-apps.git", path: "clusters/dev", revision: "main" };
const sso = { issuer: "https://login.example.com", clientId: "argocd", clientSecretRef: { secretName: "argocd-sso", key: "clientSecret" } };

function build(args: Omit<GitOpsArgs, "cluster">): Promise<StackEvaluation> {
    return runProgram(() => {
        const cluster = new EksCluster("demo", { tags, kubernetesVersion: "1.33" });
        new GitOps("gitops", { ...args, cluster });
    });
}

describe("GitOps (Argo CD)", () => {
    let dev: StackEvaluation;
    let prod: StackEvaluation;
    before(async () => {
        dev = await build({ source });
        prod = await build({ source, production: true, sso });
    });

    it("installs the pinned Argo CD chart with the admin user disabled, HA in production", () => {
        const values = (run: StackEvaluation) => inputsOf(one(run.resources, "kubernetes:helm.sh/v3:Release")).values;
        expect(inputsOf(one(dev.resources, "kubernetes:helm.sh/v3:Release"))).to.include({ chart: "argo-cd", version: "10.1.1", namespace: "argocd" });
        expect(values(dev).configs.cm["admin.enabled"]).to.equal(false);
        expect(values(dev)["redis-ha"]).to.deep.equal({ enabled: false });
        expect(values(prod)["redis-ha"]).to.deep.equal({ enabled: true });
        expect(values(prod).server.replicas).to.equal(2);
        expect(ARGO_CD_CHART.version).to.equal(upstreamChart("argo-cd").version);
    });

    it("configures SSO with the client secret referenced from a Secret, never inlined", () => {
        const oidc = inputsOf(one(prod.resources, "kubernetes:helm.sh/v3:Release")).values.configs.cm["oidc.config"];
        expect(oidc).to.include("issuer: https://login.example.com").and.include("clientSecret: $argocd-sso:clientSecret");
        expect(plaintextSecrets(prod)).to.deep.equal([]);
        expect(plaintextSecrets(dev)).to.deep.equal([]);
    });

    it("restricts the AppProject to the platform repository and keeps it out of kube-system", async () => {
        const { AppProject } = await import("@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject");
        const project = inputsOf(one(dev.resources, "kubernetes:argoproj.io/v1alpha1:AppProject"));
        new AppProject(project as never).validate();
        expect(project.spec.sourceRepos).to.deep.equal(["https://github.com/acme/platform-apps.git"]);
        expect(project.spec.destinations[0]).to.deep.equal({ server: "https://kubernetes.default.svc", namespace: "!kube-system" });
    });

    it("syncs the root app of apps automatically, pruning and self-healing, with retries and backoff", async () => {
        const { Application } = await import("@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application");
        const root = inputsOf(one(dev.resources, "kubernetes:argoproj.io/v1alpha1:Application"));
        new Application(root as never).validate();
        expect(root.spec.source).to.deep.equal({ repoURL: source.repoUrl, path: "clusters/dev", targetRevision: "main" });
        expect(root.spec.syncPolicy.automated).to.deep.equal({ prune: true, selfHeal: true });
        expect(root.spec.syncPolicy.retry).to.deep.equal({ limit: 5, backoff: { duration: "10s", factor: 2, maxDuration: "5m" } });
        expect(root.spec.syncPolicy.syncOptions).to.include("RespectIgnoreDifferences=true");
    });

    it("leaves replica counts to KEDA and HPAs, so self-heal never fights the night downscaling", () => {
        const cm = argoCdValues({ production: false }).configs as { cm: Record<string, string> };
        expect(cm.cm["resource.customizations.ignoreDifferences.apps_Deployment"]).to.equal("jsonPointers:\n- /spec/replicas\n");
        const root = inputsOf(one(dev.resources, "kubernetes:argoproj.io/v1alpha1:Application"));
        expect(root.spec.ignoreDifferences).to.deep.include({ group: "apps", kind: "Deployment", jsonPointers: ["/spec/replicas"] });
    });

    it("sets only values the pinned chart has", () => {
        expect(unknownValuePaths(argoCdValues({ production: true, sso }), ARGO_CD_CHART)).to.deep.equal([]);
    });

    describe("bad input", () => {
        it("rejects a repo URL that is not https or ssh", () => {
            const problems = gitOpsProblems({ source: { ...source, repoUrl: "http://github.com/acme/apps.git" } }).list;
            expect(problems.map((p) => p.propertyPath)).to.deep.equal(["source.repoUrl"]);
            expect(problems[0].reason).to.include('got "http://github.com/acme/apps.git"').and.include("https or ssh");
            expect(gitOpsProblems({ source: { ...source, repoUrl: "git@github.com:acme/apps.git" } }).list).to.deep.equal([]);
            expect(gitOpsProblems({ source: { ...source, repoUrl: "ssh://git@github.com/acme/apps.git" } }).list).to.deep.equal([]);
        });
        it("throws one InputPropertiesError from the component", async () => {
            const failure = await runFailing(() => {
                const cluster = new EksCluster("demo", { tags, kubernetesVersion: "1.33" });
                new GitOps("gitops", { cluster, source: { ...source, repoUrl: "ftp://x", path: "/abs" } });
            });
            expect(pulumi.InputPropertiesError.isInstance(failure.cause)).to.be.true;
            expect((failure.cause as pulumi.InputPropertiesError).errors.map((e) => e.propertyPath)).to.deep.equal(["source.repoUrl", "source.path"]);
        });
    });
});
