import { VaultAppSpec, WorkloadKind } from "./app-spec";
import { kvDataPath } from "./policy";

const PREFIX = "vault.hashicorp.com";

/** Resource requests and limits of the injected agent, so it cannot starve the app. */
export const AGENT_RESOURCES = { cpuRequest: "50m", cpuLimit: "250m", memRequest: "64Mi", memLimit: "128Mi" };

/** A consul-template that renders one KV v2 secret as an env file (`export KEY="value"` lines). */
export function envFileTemplate(dataPath: string): string {
    return `{{- with secret "${dataPath}" -}}{{- range $k, $v := .Data.data }}export {{ $k }}="{{ $v }}"\n{{ end }}{{- end }}`;
}

/**
 * Pod-template annotations that make the Vault Agent Injector log in as the app's role and render
 * each of its secrets to /vault/secrets/<name>. Jobs and CronJobs get a pre-populate-only agent
 * (an init container, no sidecar), or they would never complete.
 */
export function injectorAnnotations(
    app: VaultAppSpec,
    args: { readonly role: string; readonly authPath: string; readonly mount: string; readonly kind?: WorkloadKind },
): Record<string, string> {
    const kind = args.kind ?? app.workload?.kind ?? "Deployment";
    const annotations: Record<string, string> = {
        [`${PREFIX}/agent-inject`]: "true",
        [`${PREFIX}/role`]: args.role,
        [`${PREFIX}/auth-path`]: `auth/${args.authPath}`,
        [`${PREFIX}/agent-requests-cpu`]: AGENT_RESOURCES.cpuRequest,
        [`${PREFIX}/agent-limits-cpu`]: AGENT_RESOURCES.cpuLimit,
        [`${PREFIX}/agent-requests-mem`]: AGENT_RESOURCES.memRequest,
        [`${PREFIX}/agent-limits-mem`]: AGENT_RESOURCES.memLimit,
    };
    if (kind === "Job" || kind === "CronJob") annotations[`${PREFIX}/agent-pre-populate-only`] = "true";
    for (const secret of app.secrets) {
        const dataPath = kvDataPath(args.mount, secret.path);
        annotations[`${PREFIX}/agent-inject-secret-${secret.name}`] = dataPath;
        annotations[`${PREFIX}/agent-inject-template-${secret.name}`] = envFileTemplate(dataPath);
    }
    return annotations;
}

interface PodTemplate {
    metadata?: { annotations?: Record<string, string>; [key: string]: unknown };
    [key: string]: unknown;
}
interface WorkloadManifest {
    kind: string;
    spec?: { template?: PodTemplate; jobTemplate?: { spec?: { template?: PodTemplate } }; [key: string]: unknown };
    [key: string]: unknown;
}

/**
 * A copy of a Deployment, StatefulSet, Argo Rollout, Job or CronJob manifest with the annotations
 * merged into its pod template (CronJobs keep theirs one level deeper). The input is not changed.
 */
export function withPodAnnotations<T extends WorkloadManifest>(manifest: T, annotations: Record<string, string>): T {
    const copy = structuredClone(manifest);
    const template = copy.kind === "CronJob" ? copy.spec?.jobTemplate?.spec?.template : copy.spec?.template;
    if (!template) throw new Error(`withPodAnnotations: ${copy.kind} has no pod template at ${copy.kind === "CronJob" ? "spec.jobTemplate.spec.template" : "spec.template"}`);
    template.metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, ...annotations } };
    return copy;
}
