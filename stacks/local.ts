import * as k8s from "@pulumi/kubernetes";
import { GitOps } from "../components/delivery/gitops";
import { ProgressiveDelivery } from "../components/delivery/progressive-delivery";
import { WorkloadSchedule } from "../components/nodepools/workload-schedule";
import { LocalConfig } from "./local-config";

/**
 * The local role: the platform's Kubernetes-level components (GitOps, canary delivery, KEDA
 * schedules) onto an existing cluster chosen by kubeconfig context — no cloud resources at all.
 */
export function local(config: LocalConfig): Record<string, unknown> {
    // The provider reads the caller's own kubeconfig (KUBECONFIG or ~/.kube/config) for this context.
    const cluster = { provider: new k8s.Provider("local", { context: config.context }) };
    if (config.gitops) new GitOps("gitops", { cluster, source: config.gitops });
    new ProgressiveDelivery("delivery", { cluster, domain: config.domain, prometheusAddress: config.prometheusAddress, canaries: config.canaries });
    if (config.schedule) new WorkloadSchedule("on-hours", { cluster, schedule: config.schedule, workloads: config.scaleToZero });
    return { context: config.context, domain: config.domain };
}
