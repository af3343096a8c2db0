import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CostTags, gcpLabels } from "../tags";
import { Problems, checkIntegerIn, show } from "../validation";

export interface PreviewNamespaceArgs {
    /** The pull request number; the namespace is `pr-<number>`. */
    readonly pr: number;
    readonly tags: CostTags;
    /**
     * Namespace the shared Gateway runs in; only it (and the namespace itself) may send traffic in.
     * @default "gateway"
     */
    readonly gatewayNamespace?: string;
    /**
     * Ceiling on what one PR environment may request.
     * @default 4 CPU, 8Gi memory, 30 pods
     */
    readonly quota?: { readonly cpu: string; readonly memory: string; readonly pods: number };
}

export function previewNamespaceProblems(args: PreviewNamespaceArgs): Problems {
    const problems = new Problems();
    checkIntegerIn(problems, "pr", args.pr, 1, 99_999_999, 123);
    if (args.quota) problems.check(/^\d+(\.\d+)?m?$/.test(args.quota.cpu), "quota.cpu", `got ${show(args.quota.cpu)}: a CPU quantity, e.g. "4"`);
    return problems;
}

/**
 * One PR's home on the shared dev cluster: a namespace with a resource quota and default limits (a
 * PR cannot starve the others), and a network policy that admits traffic only from the Gateway.
 */
export class PreviewNamespace extends pulumi.ComponentResource {
    public readonly namespace: string;

    constructor(name: string, args: PreviewNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("paved:preview:PreviewNamespace", name, {}, opts);
        previewNamespaceProblems(args).throwIfAny("PreviewNamespace");
        const child = { parent: this };
        this.namespace = `pr-${args.pr}`;
        const quota = args.quota ?? { cpu: "4", memory: "8Gi", pods: 30 };
        const ns = new k8s.core.v1.Namespace(`${name}-ns`, {
            metadata: { name: this.namespace, labels: { ...gcpLabels(args.tags), "paved.io/pr": String(args.pr) } },
        }, child);
        const inNs = { ...child, dependsOn: [ns] };
        new k8s.core.v1.ResourceQuota(`${name}-quota`, {
            metadata: { name: "pr-quota", namespace: this.namespace },
            spec: { hard: { "requests.cpu": quota.cpu, "requests.memory": quota.memory, pods: String(quota.pods) } },
        }, inNs);
        new k8s.core.v1.LimitRange(`${name}-limits`, {
            metadata: { name: "pr-defaults", namespace: this.namespace },
            spec: { limits: [{ type: "Container", default: { cpu: "500m", memory: "512Mi" }, defaultRequest: { cpu: "100m", memory: "128Mi" } }] },
        }, inNs);
        new k8s.networking.v1.NetworkPolicy(`${name}-ingress`, {
            metadata: { name: "from-gateway-only", namespace: this.namespace },
            spec: {
                podSelector: {},
                policyTypes: ["Ingress"],
                ingress: [{
                    from: [
                        { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": args.gatewayNamespace ?? "gateway" } } },
                        { podSelector: {} },
                    ],
                }],
            },
        }, inNs);
        this.registerOutputs({ namespace: this.namespace });
    }
}
