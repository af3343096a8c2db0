import { expect } from "chai";
import { fleetHostOf } from "../../../stacks/fleet-manifests";
import { stackReconcilers } from "../../../stacks/reconciler";
import { REPO_ROOT, StackEvaluation, inputsOf, ofType, one, runStack } from "../../harness";
import { OPERATOR_OWNED } from "./fleet-fixture";

describe("the shipped fleet: dev's cluster manages the operator-owned stacks", () => {
    let dev: StackEvaluation;
    before(async () => {
        dev = await runStack("dev");
    });

    it("the operator owns the rollout ring and the global stack; paved drives the rest", () => {
        const by = (r: string) => stackReconcilers(REPO_ROOT).filter((s) => s.reconciler === r).map((s) => s.stack);
        expect(by("operator")).to.deep.equal(OPERATOR_OWNED);
        expect(by("paved")).to.deep.equal(["dev", "dev-gcp", "local", "pr"]);
        expect(fleetHostOf(REPO_ROOT)).to.equal("dev");
    });

    it("dev runs InfraGitOps with a workspace identity per operator-owned stack, and says which stacks in its outputs", () => {
        one(dev.resources, "paved:gitops:InfraGitOps", "fleet");
        const accounts = ofType(dev.resources, "kubernetes:core/v1:ServiceAccount").map((r) => inputsOf(r).metadata).filter((m) => m.namespace === "pulumi-stacks");
        expect(accounts.map((m) => m.name)).to.include.members(OPERATOR_OWNED.map((s) => `fleet-${s}`));
        expect(dev.outputs.fleetStacks).to.deep.equal(OPERATOR_OWNED);
    });

    it("each stack's credentials are synced from Vault into the Secret its Stack object reads, by path only", () => {
        const synced = ofType(dev.resources, "kubernetes:secrets.hashicorp.com/v1beta1:VaultStaticSecret").map((r) => inputsOf(r)).filter((s) => s.metadata.namespace === "pulumi-stacks");
        expect(synced.map((s) => [s.spec.path, s.spec.destination.name])).to.deep.equal(OPERATOR_OWNED.map((s) => [`dev/fleet-${s}/credentials`, `fleet-${s}-credentials`]));
        for (const s of synced) expect(s.spec.rolloutRestartTargets, s.metadata.name).to.deep.equal([]);
    });
});
