/**
 * Which EKS node groups a change replaces. A managed node group whose `version` or `releaseVersion`
 * changes is rolled: every node is drained and replaced (node-release.ts). Said before it happens, by
 * `paved plan --diff` between two stacks and by `paved up` against the stack's last deployment.
 */
import { RecordedResource } from "../offline/recorder";

/** What a node group pins: its logical name, Kubernetes version and AMI release. */
export interface NodeGroupPin {
    readonly group: string;
    readonly version: string;
    readonly releaseVersion: string;
}

export interface NodeReplacement {
    readonly group: string;
    readonly from: string;
    readonly to: string;
}

const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";

/** The pins of every EKS node group an evaluated program declares; names derived from the stack's are written `{stack}`. */
export function nodeGroupPins(resources: readonly RecordedResource[], stack: string): NodeGroupPin[] {
    return resources
        .filter((r) => r.type === NODE_GROUP)
        .map((r) => ({
            group: r.name.split(stack).join("{stack}"),
            version: typeof r.inputs.version === "string" ? r.inputs.version : "unpinned",
            releaseVersion: typeof r.inputs.releaseVersion === "string" ? r.inputs.releaseVersion : "unpinned",
        }));
}

/** A pin as one word: the release names its Kubernetes version too ("1.33.0-20250704"). */
function describe(pin: NodeGroupPin): string {
    return pin.releaseVersion === "unpinned" ? `${pin.version} (AMI unpinned)` : pin.releaseVersion;
}

/** Node groups in both lists whose version or release differs; groups only in one are created or deleted, not replaced. */
export function nodeReplacements(before: readonly NodeGroupPin[], after: readonly NodeGroupPin[]): NodeReplacement[] {
    const old = new Map(before.map((p) => [p.group, p]));
    return after
        .filter((p) => {
            const o = old.get(p.group);
            return o !== undefined && (o.version !== p.version || o.releaseVersion !== p.releaseVersion);
        })
        .map((p) => ({ group: p.group, from: describe(old.get(p.group)!), to: describe(p) }));
}

export function formatNodeReplacement(r: NodeReplacement): string {
    return `nodes replaced: ${r.group} ${r.from} → ${r.to}`;
}

/** The node groups of a deployed stack as its outputs report them (stacks/regional.ts), or none. */
export function deployedPins(outputs: Readonly<Record<string, unknown>>): NodeGroupPin[] {
    const { nodeGroups, kubernetesVersion, nodeReleaseVersion } = outputs;
    if (!Array.isArray(nodeGroups) || typeof kubernetesVersion !== "string" || typeof nodeReleaseVersion !== "string") return [];
    return nodeGroups.filter((g): g is string => typeof g === "string").map((group) => ({ group, version: kubernetesVersion, releaseVersion: nodeReleaseVersion }));
}

/**
 * What `paved up` will replace, from the last deployment and the stack's config, before anything runs.
 * A pinned release is known; otherwise a new version means AWS's recommended release for it, and an
 * unchanged one rolls the nodes only if AWS has published a newer release since: said as such.
 */
export function upNodeChanges(deployed: readonly NodeGroupPin[], configuredVersion: string, pinnedRelease: string | undefined): string[] {
    const [current] = deployed;
    if (current === undefined) return [];
    const to = pinnedRelease ?? (configuredVersion !== current.version ? `${configuredVersion} (AWS's recommended release)` : undefined);
    if (to === undefined) {
        return [`nodes: every node group follows AWS's recommended ${configuredVersion} release (deployed: ${current.releaseVersion}); if AWS has published a newer one, every node group is replaced`];
    }
    if (to === current.releaseVersion) return [];
    return deployed.map((p) => formatNodeReplacement({ group: p.group, from: describe(p), to }));
}
