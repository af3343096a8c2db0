import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterConnection, onCluster } from "../cluster/kubernetes-cluster";
import { modelledCustomResource } from "../custom-resource";
import { APP_PROJECT, APPLICATION } from "../delivery/gitops";
import { pinnedRelease } from "../helm";
import { OPERATOR_NAMESPACE, PULUMI_OPERATOR_CHART, operatorValues } from "./charts";
import { fleetApplication, fleetProject } from "./fleet-application";
import { FleetSource, FleetStack, STACKS_NAMESPACE, fleetProblems, workspaceServiceAccount } from "./fleet-spec";
import { PR_TEMPLATE_STACK, PrStacksGitHub, prStacksApplicationSet, prStacksProblems } from "./pr-stacks";

const APPLICATION_SET = { apiVersion: "argoproj.io/v1alpha1", kind: "ApplicationSet" };

/** Arguments of InfraGitOps: the management cluster, the Git source of the fleet's stacks and the stacks the operator reconciles. */
export interface InfraGitOpsArgs {
    /** The management cluster: it runs the operator and Argo CD (a GitOps component on the same cluster). */
    readonly cluster: ClusterConnection;
    readonly source: FleetSource;
    /** The environment stacks the operator reconciles (those whose file says `paved:reconciler: operator`). */
    readonly stacks: readonly FleetStack[];
    /** PR stacks from Argo CD's pull-request generator, when the `pr` template is operator-owned. */
    readonly prStacks?: PrStacksGitHub;
    /**
     * Operator sizing for a production management cluster.
     * @default false
     */
    readonly production?: boolean;
}

/**
 * Infrastructure GitOps for a management cluster: the Pulumi Kubernetes Operator from its pinned
 * chart, a workspace identity per stack (the `system:auth-delegator` binding operator v2 requires),
 * and an Argo CD Application that owns the Stack objects rendered into Git. Credentials come from
 * Vault-synced Secrets (the stack's Vault apps, see `fleetVaultApps`), never through this component.
 */
export class InfraGitOps extends pulumi.ComponentResource {
    public readonly namespace = STACKS_NAMESPACE;
    /** Vault-synced Secrets go into this namespace: they wait for it. */
    public readonly namespaceResource: k8s.core.v1.Namespace;
    public readonly operator: k8s.helm.v3.Release;

    constructor(name: string, args: InfraGitOpsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("paved:gitops:InfraGitOps", name, {}, opts);
        const problems = fleetProblems(args.source, args.stacks);
        if (args.prStacks) problems.addAll("prStacks.", prStacksProblems(args.prStacks).list);
        problems.throwIfAny("InfraGitOps");
        const on = onCluster(args.cluster, this);
        this.operator = pinnedRelease(`${name}-operator`, PULUMI_OPERATOR_CHART, {
            namespace: OPERATOR_NAMESPACE,
            createNamespace: true,
            values: operatorValues({ production: args.production ?? false }),
        }, on);
        this.namespaceResource = new k8s.core.v1.Namespace(`${name}-stacks-ns`, {
            metadata: { name: STACKS_NAMESPACE, labels: { "app.kubernetes.io/managed-by": "paved-road", "pod-security.kubernetes.io/enforce": "restricted" } },
        }, on);
        const inNamespace = { ...on, dependsOn: [this.namespaceResource] };
        // PR stacks share the template's workspace identity and credentials.
        for (const stack of [...args.stacks.map((s) => s.name), ...(args.prStacks ? [PR_TEMPLATE_STACK] : [])]) {
            const account = workspaceServiceAccount(stack);
            new k8s.core.v1.ServiceAccount(`${name}-${account}`, { metadata: { name: account, namespace: STACKS_NAMESPACE } }, inNamespace);
            new k8s.rbac.v1.ClusterRoleBinding(`${name}-${account}-auth-delegator`, {
                metadata: { name: `${STACKS_NAMESPACE}:${account}:system:auth-delegator` },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:auth-delegator" },
                subjects: [{ kind: "ServiceAccount", name: account, namespace: STACKS_NAMESPACE }],
            }, on);
        }
        // Argo CD applies the Stack objects only once the operator's CRDs exist.
        const project = modelledCustomResource(`${name}-project`, APP_PROJECT, fleetProject(args.source), { ...on, dependsOn: [this.operator, this.namespaceResource] });
        modelledCustomResource(`${name}-stacks`, APPLICATION, fleetApplication(args.source), { ...on, dependsOn: [this.operator, project] });
        if (args.prStacks) {
            modelledCustomResource(`${name}-pr-stacks`, APPLICATION_SET, prStacksApplicationSet(args.source, args.prStacks), { ...on, dependsOn: [this.operator, project] });
        }
        this.registerOutputs({});
    }
}
