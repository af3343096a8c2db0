/**
 * The Kubernetes minor versions each cloud offers for a new cluster, shipped so a version the cloud
 * would refuse is refused here first, under its config key.
 *
 * Source, collected 2026-02 (not re-checked from the build machines, which have no internet):
 * - EKS: "Understand the Kubernetes version lifecycle on EKS", release calendar
 *   (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html), standard and extended
 *   support; mirrored at https://endoflife.date/amazon-eks. Extended-support versions are offered.
 * - GKE: release notes, "Current versions" table
 *   (https://cloud.google.com/kubernetes-engine/docs/release-notes): available minor versions per channel.
 */
export const KUBERNETES_VERSION_SOURCE = {
    collected: "2026-02",
    eks: "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html",
    gke: "https://cloud.google.com/kubernetes-engine/docs/release-notes",
} as const;

/** EKS minor version → the end of its extended support (after it, EKS upgrades the cluster itself). */
export const EKS_VERSIONS: Readonly<Record<string, string>> = {
    "1.29": "2026-03-23",
    "1.30": "2026-07-23",
    "1.31": "2026-11-26",
    "1.32": "2027-03-23",
    "1.33": "2027-07-29",
    "1.34": "2027-12-02",
    "1.35": "2028-03-27",
};

/** GKE release channel → the minor versions a new cluster on it may ask for. */
export const GKE_VERSIONS: Readonly<Record<"RAPID" | "REGULAR" | "STABLE", readonly string[]>> = {
    RAPID: ["1.32", "1.33", "1.34", "1.35"],
    REGULAR: ["1.32", "1.33", "1.34", "1.35"],
    STABLE: ["1.32", "1.33", "1.34"],
};
