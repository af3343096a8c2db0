import { Taint } from "./spot-pool-args";

const PREFIX = "k8s.io/cluster-autoscaler";

/** The two ASG tags cluster-autoscaler discovers a group by: this one set to "true"... */
export const DISCOVERY_ENABLED_TAG = `${PREFIX}/enabled`;
/** ...and this one set to "owned" (also what its IAM policy scopes changes to). */
export function discoveryOwnerTag(clusterName: string): string {
    return `${PREFIX}/${clusterName}`;
}

/**
 * Node-template tags: what a node of an empty group would look like. Without them the autoscaler
 * cannot tell that a pending pod (selecting a label, tolerating a taint) fits a group at zero nodes,
 * and a scaled-to-zero pool never comes back.
 */
export function nodeTemplateTags(labels: Readonly<Record<string, string>>, taints: readonly Taint[]): Record<string, string> {
    const tags: Record<string, string> = {};
    for (const [key, value] of Object.entries(labels)) tags[`${PREFIX}/node-template/label/${key}`] = value;
    for (const t of taints) tags[`${PREFIX}/node-template/taint/${t.key}`] = `${t.value ?? ""}:${t.effect}`;
    return tags;
}
