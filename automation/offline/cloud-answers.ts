/**
 * Realistic answers for the cloud look-ups (invokes) the components make, so a program evaluates
 * offline exactly as it would against a real account. Figures are shaped like the real APIs'
 * (zone counts per region, add-on build tags, GKE patch versions); the account is fictional.
 */

export const MOCK_AWS_ACCOUNT = "123456789012";
export const MOCK_GCP_PROJECT_NUMBER = "210987654321";

/** Zones per region as AWS reports them to a default account (opt-in zones excluded). */
const AWS_ZONE_COUNT: Record<string, number> = { "us-east-1": 6, "us-west-2": 4, "eu-central-1": 3, "eu-west-1": 3 };

export function awsPartition(region: string): string {
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    return "aws";
}

export function awsZones(region: string): { names: string[]; zoneIds: string[] } {
    const count = AWS_ZONE_COUNT[region] ?? 3;
    const short = region.replace(/^(\w\w)-(\w)\w*-(\d)$/, "$1$2$3");
    return {
        names: Array.from({ length: count }, (_, i) => `${region}${String.fromCharCode(97 + i)}`),
        zoneIds: Array.from({ length: count }, (_, i) => `${short}-az${i + 1}`),
    };
}

/** Default EKS add-on versions per Kubernetes minor version (the shape `describe-addon-versions` reports). */
const EKS_ADDON_VERSIONS: Record<string, Record<string, string>> = {
    "vpc-cni": { "1.31": "v1.19.2-eksbuild.1", "1.32": "v1.19.5-eksbuild.3", "1.33": "v1.20.1-eksbuild.1", "1.34": "v1.20.4-eksbuild.2" },
    "kube-proxy": { "1.31": "v1.31.3-eksbuild.2", "1.32": "v1.32.6-eksbuild.2", "1.33": "v1.33.3-eksbuild.4", "1.34": "v1.34.1-eksbuild.1" },
    coredns: { "1.31": "v1.11.3-eksbuild.2", "1.32": "v1.11.4-eksbuild.14", "1.33": "v1.12.2-eksbuild.4", "1.34": "v1.12.4-eksbuild.1" },
    "eks-pod-identity-agent": { "1.31": "v1.3.4-eksbuild.1", "1.32": "v1.3.7-eksbuild.2", "1.33": "v1.3.8-eksbuild.2", "1.34": "v1.3.9-eksbuild.3" },
    "aws-ebs-csi-driver": { "1.31": "v1.40.0-eksbuild.1", "1.32": "v1.45.0-eksbuild.2", "1.33": "v1.48.0-eksbuild.2", "1.34": "v1.50.1-eksbuild.1" },
};

export function eksAddonVersion(addonName: string, kubernetesVersion: string): string {
    const version = EKS_ADDON_VERSIONS[addonName]?.[kubernetesVersion];
    if (!version) {
        // What the real API answers for an unknown add-on or an unsupported Kubernetes version.
        throw new Error(`no EKS add-on version of ${addonName} for Kubernetes ${kubernetesVersion}`);
    }
    return version;
}

/** GKE versions offered per minor version (newest first), as `getServerConfig` lists them. */
const GKE_VERSIONS: Record<string, string[]> = {
    "1.31": ["1.31.13-gke.1023000", "1.31.12-gke.1265000"],
    "1.32": ["1.32.9-gke.1108000", "1.32.8-gke.1134000"],
    "1.33": ["1.33.5-gke.1125000", "1.33.4-gke.1245000"],
    "1.34": ["1.34.1-gke.1431000", "1.34.0-gke.1709000"],
};

export function gkeEngineVersions(versionPrefix: string | undefined): Record<string, unknown> {
    const all = Object.values(GKE_VERSIONS).flat().sort().reverse();
    const valid = all.filter((v) => !versionPrefix || v.startsWith(versionPrefix));
    const latest = valid[0] ?? "";
    return {
        latestMasterVersion: latest,
        latestNodeVersion: latest,
        validMasterVersions: valid,
        validNodeVersions: valid,
        defaultClusterVersion: GKE_VERSIONS["1.33"][0],
        releaseChannelDefaultVersion: { RAPID: GKE_VERSIONS["1.34"][0], REGULAR: GKE_VERSIONS["1.33"][0], STABLE: GKE_VERSIONS["1.32"][0] },
        releaseChannelLatestVersion: { RAPID: GKE_VERSIONS["1.34"][0], REGULAR: GKE_VERSIONS["1.34"][0], STABLE: GKE_VERSIONS["1.33"][0] },
        releaseChannelUpgradeTargetVersion: { RAPID: GKE_VERSIONS["1.34"][0], REGULAR: GKE_VERSIONS["1.33"][0], STABLE: GKE_VERSIONS["1.32"][0] },
    };
}

/**
 * AWS's recommended EKS-optimized AL2023 AMI release per Kubernetes minor version, as the public SSM
 * parameter `.../amazon-linux-2023/<arch>/standard/recommended/release_version` answers it
 * ("<kubernetes patch version>-<build date>", the amazon-eks-ami release it comes from).
 */
const EKS_AMI_RELEASES: Record<string, string> = { "1.31": "1.31.9-20250704", "1.32": "1.32.5-20250704", "1.33": "1.33.0-20250704", "1.34": "1.34.1-20251007" };
let amiReleasesNow: Record<string, string> = EKS_AMI_RELEASES;

const AMI_RELEASE_PARAMETER = /^\/aws\/service\/eks\/optimized-ami\/(\d+\.\d+)\/amazon-linux-2023\/(x86_64|arm64)\/standard\/recommended\/release_version$/;

/** The value of an EKS-optimized AMI release parameter; what SSM answers for a name it does not have otherwise. */
export function ssmParameterValue(name: string): string {
    const [, version, arch] = AMI_RELEASE_PARAMETER.exec(name) ?? [];
    // AWS publishes each architecture's image separately: "<version>/<arch>" answers for one only.
    const value = version === undefined ? undefined : amiReleasesNow[`${version}/${arch}`] ?? amiReleasesNow[version];
    if (value === undefined) throw new Error(`ParameterNotFound: ${name}`);
    return value;
}

/**
 * Runs `body` while AWS "publishes" other recommended releases, e.g. a new AMI with security fixes:
 * keyed by Kubernetes version ("1.33"), or by version and architecture ("1.33/arm64") for one only.
 */
export async function withEksAmiReleases<T>(releases: Record<string, string>, body: () => Promise<T>): Promise<T> {
    amiReleasesNow = { ...EKS_AMI_RELEASES, ...releases };
    try {
        return await body();
    } finally {
        amiReleasesNow = EKS_AMI_RELEASES;
    }
}

/**
 * An existing VPC as DescribeVpcs would report it: one primary IPv4 range, the same for the same ID,
 * 10.<n>.0.0/16 with n from the ID (a fictional account's VPCs, so tests can tell them from a new VPC's default 10.0.0.0/16).
 */
export function existingVpc(id: string): { id: string; cidrBlock: string; cidrBlockAssociations: { associationId: string; cidrBlock: string; state: string }[]; state: string } {
    const n = 1 + ([...id].reduce((sum, c) => sum + c.charCodeAt(0), 0) % 254);
    const cidrBlock = `10.${n}.0.0/16`;
    return { id, cidrBlock, cidrBlockAssociations: [{ associationId: `vpc-cidr-assoc-${id.slice(4)}`, cidrBlock, state: "associated" }], state: "available" };
}
