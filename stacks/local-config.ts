import { CanarySpec, canaryProblems } from "../components/delivery/canary-spec";
import { GitSource } from "../components/delivery/gitops-spec";
import { gitOpsProblems } from "../components/delivery/gitops";
import { ScheduledWorkload } from "../components/nodepools/scaled-object";
import { ScheduleArgs } from "../components/nodepools/schedule";
import { workloadScheduleProblems } from "../components/nodepools/workload-schedule";
import { CostTags } from "../components/tags";
import { show } from "../components/validation";
import { StackConfigError, parseRoleConfig, tagsOf } from "./config-problems";
import { checkSchedule } from "./config-rules";
import { localTopLevel } from "./config-schema";

/** Kubernetes-level components onto an existing cluster (a laptop's kind, k3d or minikube). */
export interface LocalConfig {
    readonly stack: string;
    readonly role: "local";
    readonly environment: string;
    readonly domain: string;
    readonly tags: CostTags;
    /** The kubeconfig context of the cluster to deploy onto. */
    readonly context: string;
    readonly prometheusAddress: string;
    readonly schedule?: ScheduleArgs;
    readonly scaleToZero: readonly ScheduledWorkload[];
    readonly gitops?: GitSource;
    readonly canaries: readonly CanarySpec[];
}

/** A laptop has no platform Prometheus; the canary analysis reads this one unless told otherwise. */
export const LOCAL_PROMETHEUS = "http://prometheus-server.monitoring.svc.cluster.local";

export function loadLocalConfig(allConfig: Readonly<Record<string, string>>, options: { readonly stack: string; readonly isSecret?: (key: string) => boolean }): LocalConfig {
    const { data: c, raw, problems } = parseRoleConfig(localTopLevel, allConfig, options);
    // A laptop cluster: no cloud resources, so only the schedule's own rules apply beyond the shape.
    checkSchedule(problems, "schedule", raw.schedule);
    if (!c) {
        problems.throwIfAny();
        throw new StackConfigError(`Pulumi.${options.stack}.yaml`, problems.list);
    }
    const schedule = c.schedule === "none" ? undefined : (c.schedule as ScheduleArgs | undefined);
    const scaleToZero = c.scaleToZero ?? [];
    if (scaleToZero.length > 0 && !schedule) problems.add("scaleToZero", `got ${scaleToZero.length} workload(s) but no paved:schedule to scale them by`);
    if (schedule || scaleToZero.length > 0) {
        problems.addAll(workloadScheduleProblems({ schedule: schedule ?? { timeZone: "UTC", days: "Mon-Fri", start: "07:00", end: "20:00" }, workloads: scaleToZero }).list, (p) =>
            p.replace(/^workloads/, "scaleToZero"),
        );
    }
    const gitops = c.gitops && { repoUrl: c.gitops.repoUrl, path: c.gitops.path, revision: c.gitops.revision };
    if (gitops) problems.addAll(gitOpsProblems({ source: gitops }).list, (p) => p.replace(/^source\./, "gitops."));
    const canaries = (c.delivery?.canaries ?? []) as unknown as CanarySpec[];
    canaries.forEach((canary, i) => problems.addAll(canaryProblems(canary, `delivery.canaries[${i}]`).list, (p) => p));
    if (c.local.prometheusAddress !== undefined && !/^https?:\/\/\S+$/.test(c.local.prometheusAddress)) {
        problems.add("local.prometheusAddress", `got ${show(c.local.prometheusAddress)}: Prometheus' URL, e.g. "${LOCAL_PROMETHEUS}"`);
    }
    problems.throwIfAny();
    return {
        stack: options.stack,
        role: "local",
        environment: c.environment,
        domain: c.domain,
        tags: tagsOf(c),
        context: c.local.context,
        prometheusAddress: c.local.prometheusAddress ?? LOCAL_PROMETHEUS,
        schedule,
        scaleToZero,
        gitops,
        canaries,
    };
}
