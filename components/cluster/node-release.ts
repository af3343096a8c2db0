/**
 * Immutable nodes on EKS: every managed node group pins the cluster's Kubernetes version and an AMI
 * release, so a new release or a new version is a rolling replacement of the nodes, never a patch.
 * Pure: the parameter names, checks and upgrade-step rule are tested without Pulumi.
 */
import { Problems, show } from "../validation";

/** The x86_64 AL2023 AMI type; a node group's own follows its instance types (architecture.ts: Graviton pools run AL2023_ARM_64_STANDARD). */
export const NODE_AMI_TYPE = "AL2023_x86_64_STANDARD";

/**
 * How managed node groups roll (AWS, "Understand each phase of node updates", managed-node-update-behavior):
 * new nodes first, then at most `updateConfig` nodes drained at a time through the eviction API, which
 * honours every PodDisruptionBudget; a budget that allows no eviction fails the update after 15 minutes
 * instead of forcing it (the platform never sets forceUpdateVersion). The system group runs the critical
 * add-ons, so one node at a time; CoreDNS there is guarded by the budget the EKS add-on ships with it
 * (v1.9.3-eksbuild.6 and later, "Manage CoreDNS"), so DNS keeps a replica. App pools replace a third at once.
 */
export const SYSTEM_UPDATE_CONFIG = { maxUnavailable: 1 } as const;
export const APP_POOL_UPDATE_CONFIG = { maxUnavailablePercentage: 33 } as const;

/** An AL2023 AMI type's architecture, as the SSM parameter path spells it. */
export function amiArchitecture(amiType: string): "x86_64" | "arm64" {
    const match = /^AL2023_(x86_64|ARM_64)_/.exec(amiType);
    if (!match) throw new Error(`not an AL2023 AMI type: ${show(amiType)}; e.g. "${NODE_AMI_TYPE}"`);
    return match[1] === "ARM_64" ? "arm64" : "x86_64";
}

/**
 * AWS's public SSM parameter with the recommended EKS-optimized AL2023 release for a Kubernetes version,
 * e.g. "1.33.0-20250704". Path as documented in "Retrieve recommended Amazon Linux AMI IDs"
 * (https://docs.aws.amazon.com/eks/latest/userguide/retrieve-ami-id.html: `/aws/service/eks/optimized-ami/
 * <kubernetes-version>/amazon-linux-2023/x86_64/standard/recommended/<sub-parameter>`) and in the AWS
 * provider's NodeGroup docs ("Tracking the latest EKS Node Group AMI releases"), whose sub-parameter
 * `release_version` is what a node group's `releaseVersion` takes.
 */
export function releaseVersionParameter(kubernetesVersion: string, amiType: string = NODE_AMI_TYPE): string {
    return `/aws/service/eks/optimized-ami/${kubernetesVersion}/amazon-linux-2023/${amiArchitecture(amiType)}/standard/recommended/release_version`;
}

/** An EKS AMI release: "<kubernetes major.minor.patch>-<build date YYYYMMDD>". */
const RELEASE_VERSION = /^(\d+)\.(\d+)\.(\d+)-(\d{8})$/;

/** A pinned `releaseVersion`: the release shape, and of the cluster's own Kubernetes minor version. */
export function checkReleaseVersion(problems: Problems, path: string, releaseVersion: unknown, kubernetesVersion: string): void {
    if (releaseVersion === undefined) return;
    const example = `"${kubernetesVersion}.0-20250704"`;
    const match = typeof releaseVersion === "string" ? RELEASE_VERSION.exec(releaseVersion) : null;
    if (!match) {
        problems.add(path, `got ${show(releaseVersion)}: an EKS AMI release is "<kubernetes version>-<build date>", e.g. ${example}`);
        return;
    }
    problems.check(
        `${match[1]}.${match[2]}` === kubernetesVersion,
        path,
        `got ${show(releaseVersion)} but the cluster runs Kubernetes ${kubernetesVersion}: nodes take a release of the cluster's version, e.g. ${example}, or remove it to follow AWS's recommended release`,
    );
}

/** "1.33" as [1, 33]; undefined when it is not a major.minor version. */
function minorVersion(version: string): [number, number] | undefined {
    const match = /^(\d+)\.(\d+)$/.exec(version);
    return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/**
 * Why going from the deployed Kubernetes version to the configured one is refused, or undefined when
 * it is allowed: EKS and GKE upgrade a control plane one minor version at a time and never downgrade it.
 */
export function versionStepProblem(deployed: string, configured: string): string | undefined {
    const from = minorVersion(deployed);
    const to = minorVersion(configured);
    if (!from || !to || from[0] !== to[0]) return undefined;
    const step = to[1] - from[1];
    if (step < 0) {
        return `got "${configured}" but the cluster runs ${deployed} (its last deployment): EKS and GKE cannot downgrade a control plane; set "${deployed}" back`;
    }
    if (step > 1) {
        const next = `${from[0]}.${from[1] + 1}`;
        return `got "${configured}" but the cluster runs ${deployed} (its last deployment): EKS and GKE upgrade a control plane one minor version at a time; set "${next}", run up, then go on to "${configured}"`;
    }
    return undefined;
}
