import * as pulumi from "@pulumi/pulumi";
import { CostTags, validateCostTags } from "../tags";
import { Problems, checkCidr, checkKubernetesVersion, isIpv4Cidr, show } from "../validation";
import { GkeMaintenance, MaintenanceExclusion, MaintenanceWindow, PRODUCTION_WINDOW, maintenanceProblems } from "./gke-maintenance";
import { ResolvedSystemPool, SystemPoolArgs, definedOnly, validateSystemPool } from "./system-pool";
import { GCP_NAME, checkGcpName, isDeferred } from "./network-ids";

/** The GKE release channel the cluster follows. */
export type ReleaseChannel = "RAPID" | "REGULAR" | "STABLE";
const RELEASE_CHANNELS: readonly ReleaseChannel[] = ["RAPID", "REGULAR", "STABLE"];

/** A source network allowed to reach the control plane's public endpoint. */
export interface AuthorizedNetwork {
    /** Source network, e.g. "203.0.113.0/24". */
    readonly cidrBlock: string;
    /** What it is, shown in the console, e.g. "office VPN". */
    readonly displayName: string;
}

/** A VPC network and subnetwork the cluster joins instead of creating its own (bring your own network). */
export interface ExistingGcpNetwork {
    /**
     * The VPC network: its name, e.g. "shared-vpc", or "projects/<host project>/global/networks/<name>"
     * for a Shared VPC, whose firewall rules for this cluster are then created in the host project (the
     * deploying identity needs compute.firewalls.create there).
     */
    readonly network: pulumi.Input<string>;
    /**
     * The subnetwork the nodes get their addresses from, in the cluster's region: its name, e.g.
     * "gke-nodes", or "projects/<host project>/regions/<region>/subnetworks/<name>".
     */
    readonly subnetwork: pulumi.Input<string>;
    /** The subnetwork's secondary range for pods, by name, e.g. "pods". */
    readonly podsRangeName: string;
    /** The subnetwork's secondary range for Services, by name, e.g. "services". */
    readonly servicesRangeName: string;
}

/** The keys that shape a network the cluster creates: meaningless with an existing one. */
export const MANAGED_NETWORK_KEYS = ["nodeCidr", "podCidr", "serviceCidr"] as const;

/** Arguments of GkeCluster: cost tags, project, region, Kubernetes version, the network (its own VPC or an existing one), the control plane's exposure, maintenance and the system pool. */
export interface GkeClusterArgs {
    /** Cost and ownership labels put on every labelable resource. */
    readonly tags: CostTags;
    /** GCP project ID, e.g. "acme-platform-dev". */
    readonly project: string;
    /** Region of the regional cluster, e.g. "europe-west1". */
    readonly region: string;
    /** Kubernetes minor version, e.g. "1.33"; the newest patch of it in the channel is used. */
    readonly kubernetesVersion: string;
    /**
     * Production changes defaults: STABLE channel, deletion protection and a bigger system pool.
     * @default false
     */
    readonly production?: boolean;
    /**
     * Release channel GKE upgrades the cluster through.
     * @default "STABLE" in production, "REGULAR" otherwise
     */
    readonly releaseChannel?: ReleaseChannel;
    /**
     * An existing network and subnetwork with named secondary ranges for pods and Services: then no
     * network, subnetwork, router or Cloud NAT is created (egress is the network's own), the
     * platform's firewall rules apply to this cluster's nodes only, and `nodeCidr`, `podCidr` and
     * `serviceCidr` must not be set.
     * @default none: the cluster gets its own network
     */
    readonly network?: ExistingGcpNetwork;
    /**
     * Primary range of the node subnet.
     * @default "10.10.0.0/20"
     */
    readonly nodeCidr?: string;
    /**
     * Secondary range for pods.
     * @default "10.16.0.0/14"
     */
    readonly podCidr?: string;
    /**
     * Secondary range for services.
     * @default "10.20.0.0/20"
     */
    readonly serviceCidr?: string;
    /**
     * The /28 the control plane's private endpoint lives in.
     * @default "172.16.0.0/28"
     */
    readonly masterCidr?: string;
    /**
     * Open the control plane's public endpoint. Needs `authorizedNetworks`.
     * @default false: the control plane is reachable only through its private endpoint
     */
    readonly publicEndpoint?: boolean;
    /**
     * Networks allowed to reach the control plane; never 0.0.0.0/0.
     * @default none: only the VPC itself reaches the private endpoint
     */
    readonly authorizedNetworks?: readonly AuthorizedNetwork[];
    /**
     * Refuse `pulumi destroy` of the cluster.
     * @default true in production, false otherwise
     */
    readonly deletionProtection?: boolean;
    /**
     * The system node pool (sizes are per zone): on demand around the clock in production; outside it on
     * spot, one node pool per machine type, sleeping with `systemPool.schedule`.
     * @default e2-standard-4 in production, e2-standard-4 and n2d-standard-4 otherwise, sized by `production`
     */
    readonly systemPool?: SystemPoolArgs;
    /**
     * When the release channel may upgrade control plane and nodes, and freeze periods when it may not.
     * @default production: Tue–Thu 02:00–06:00 UTC; otherwise GKE's daily 4-hour window from 03:00 UTC; no exclusions
     */
    readonly maintenance?: GkeMaintenance;
}

export type ResolvedGkeClusterArgs = Required<Omit<GkeClusterArgs, "systemPool" | "maintenance" | "network">> & {
    /** Absent: the cluster creates its network. `alsoSet`: the managed-network keys given beside it (each a problem). */
    readonly network?: ExistingGcpNetwork & { readonly alsoSet: readonly (typeof MANAGED_NETWORK_KEYS)[number][] };
    readonly systemPool: ResolvedSystemPool;
    /** No window outside production: GKE's daily one. */
    readonly maintenance: { readonly window?: MaintenanceWindow; readonly exclusions: readonly MaintenanceExclusion[] };
};

export function resolveGkeClusterArgs(args: GkeClusterArgs): ResolvedGkeClusterArgs {
    const production = args.production ?? false;
    return {
        tags: args.tags,
        project: args.project,
        region: args.region,
        kubernetesVersion: args.kubernetesVersion,
        production,
        releaseChannel: args.releaseChannel ?? (production ? "STABLE" : "REGULAR"),
        nodeCidr: args.nodeCidr ?? "10.10.0.0/20",
        podCidr: args.podCidr ?? "10.16.0.0/14",
        serviceCidr: args.serviceCidr ?? "10.20.0.0/20",
        masterCidr: args.masterCidr ?? "172.16.0.0/28",
        publicEndpoint: args.publicEndpoint ?? false,
        authorizedNetworks: args.authorizedNetworks ?? [],
        deletionProtection: args.deletionProtection ?? production,
        // Sizes are per zone on GKE and a regional cluster has three zones, hence the smaller floor.
        // Outside production on spot: a second machine type (its own node pool) for when the first is reclaimed.
        systemPool: {
            instanceTypes: production ? ["e2-standard-4"] : ["e2-standard-4", "n2d-standard-4"],
            minSize: 1,
            maxSize: production ? 3 : 2,
            diskSizeGiB: 50,
            spot: !production,
            ...definedOnly(args.systemPool ?? {}),
        },
        maintenance: { window: args.maintenance?.window ?? (production ? PRODUCTION_WINDOW : undefined), exclusions: args.maintenance?.exclusions ?? [] },
        network: args.network && { ...args.network, alsoSet: MANAGED_NETWORK_KEYS.filter((k) => args[k] !== undefined) },
    };
}

/** Every problem with GKE cluster arguments; pure, so stack config can report them before any resource exists. */
export function gkeClusterProblems(args: ResolvedGkeClusterArgs): Problems {
    const problems = new Problems();
    problems.addAll("", validateCostTags(args.tags).list);
    problems.check(
        /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(args.project),
        "project",
        `got ${show(args.project)}: a GCP project ID is 6-30 lowercase letters, digits and "-", e.g. "acme-platform-dev"`,
    );
    problems.check(
        /^[a-z]+-[a-z]+\d+$/.test(args.region),
        "region",
        `got ${show(args.region)}: expected a GCP region, e.g. "europe-west1"`,
    );
    checkKubernetesVersion(problems, "kubernetesVersion", args.kubernetesVersion);
    problems.check(
        RELEASE_CHANNELS.includes(args.releaseChannel),
        "releaseChannel",
        `got ${show(args.releaseChannel)}: use one of ${RELEASE_CHANNELS.join(", ")}, e.g. "REGULAR"`,
    );
    const ranges = args.network
        ? ({ masterCidr: "172.16.0.0/28" } as const)
        : ({ nodeCidr: "10.10.0.0/20", podCidr: "10.16.0.0/14", serviceCidr: "10.20.0.0/20", masterCidr: "172.16.0.0/28" } as const);
    if (args.network) existingNetworkProblems(problems, "network", args);
    for (const [field, example] of Object.entries(ranges) as [keyof typeof ranges, string][]) {
        checkCidr(problems, field, args[field], example);
    }
    if (isIpv4Cidr(args.masterCidr)) {
        problems.check(
            args.masterCidr.endsWith("/28"),
            "masterCidr",
            `got ${show(args.masterCidr)}: GKE needs exactly a /28 for the control plane, e.g. "172.16.0.0/28"`,
        );
    }
    if (args.publicEndpoint) {
        problems.check(
            args.authorizedNetworks.length > 0,
            "authorizedNetworks",
            `got ${show(args.authorizedNetworks)}: a public endpoint needs an allow-list, e.g. [{ cidrBlock: "203.0.113.0/24", displayName: "office" }], or set publicEndpoint: false`,
        );
    }
    args.authorizedNetworks.forEach((network, i) => {
        checkCidr(problems, `authorizedNetworks[${i}].cidrBlock`, network?.cidrBlock, "203.0.113.0/24");
        problems.check(
            network?.cidrBlock !== "0.0.0.0/0",
            `authorizedNetworks[${i}].cidrBlock`,
            `got "0.0.0.0/0": that opens the control plane to the internet; list your office or VPN networks, e.g. "203.0.113.0/24"`,
        );
    });
    validateSystemPool(problems, "systemPool", args.systemPool, "gcp", args.production);
    maintenanceProblems(problems, "maintenance", args.maintenance);
    problems.check(
        args.systemPool.spot || args.systemPool.instanceTypes.length <= 1,
        "systemPool.instanceTypes",
        `got ${show(args.systemPool.instanceTypes)}: an on-demand GKE node pool has one machine type, e.g. ["e2-standard-4"] (a spot system pool gets a node pool per type)`,
    );
    return problems;
}

/** A network or subnetwork named by its name or its path ("projects/p/global/networks/n"). */
function checkNetworkRef(problems: Problems, path: string, value: unknown, pathPattern: RegExp, what: string, example: string): void {
    if (isDeferred(value)) return;
    const name = typeof value === "string" && value.includes("/") ? pathPattern.exec(value)?.groups?.name : value;
    const ok = typeof name === "string" && GCP_NAME.test(name);
    problems.check(ok, path, `got ${show(value)}: ${what} is named by its name (1-63 lowercase letters, digits and "-", starting with a letter) or its path, e.g. ${example}`);
}

const NETWORK_PATH = /^projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/global\/networks\/(?<name>[^/]+)$/;
const SUBNETWORK_PATH = /^projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/regions\/(?<region>[a-z]+-[a-z]+\d+)\/subnetworks\/(?<name>[^/]+)$/;

/** An existing network: well-formed names, a subnetwork in the cluster's region, two distinct named secondary ranges. */
function existingNetworkProblems(problems: Problems, path: string, args: ResolvedGkeClusterArgs): void {
    const network = args.network!;
    for (const key of network.alsoSet) {
        problems.add(key, `got ${show(args[key])} together with ${path}: ${key} shapes a network the cluster creates, and with an existing network none is created; remove it (the subnetwork's own ranges apply), or remove ${path} to get a new network, e.g. ${path}: { network: "shared-vpc", subnetwork: "gke-nodes", podsRangeName: "pods", servicesRangeName: "services" }`);
    }
    checkNetworkRef(problems, `${path}.network`, network.network, NETWORK_PATH, "a VPC network", '"shared-vpc" or "projects/acme-network-host/global/networks/shared-vpc"');
    checkNetworkRef(problems, `${path}.subnetwork`, network.subnetwork, SUBNETWORK_PATH, "a subnetwork", `"gke-nodes" or "projects/acme-network-host/regions/${args.region}/subnetworks/gke-nodes"`);
    const region = typeof network.subnetwork === "string" ? SUBNETWORK_PATH.exec(network.subnetwork)?.groups?.region : undefined;
    if (region !== undefined) {
        problems.check(
            region === args.region,
            `${path}.subnetwork`,
            `got ${show(network.subnetwork)} in ${region}, but the cluster is in ${args.region}: nodes take addresses from a subnetwork of their own region, e.g. "projects/acme-network-host/regions/${args.region}/subnetworks/gke-nodes"`,
        );
    }
    const ranges = { podsRangeName: "pods", servicesRangeName: "services" } as const;
    for (const [key, example] of Object.entries(ranges) as [keyof typeof ranges, string][]) {
        if (network[key] === undefined) {
            problems.add(`${path}.${key}`, `missing: name the subnetwork's secondary range for ${key === "podsRangeName" ? "pods" : "Services"} (VPC-native clusters take both by name), e.g. "${example}"`);
        } else {
            checkGcpName(problems, `${path}.${key}`, network[key], "a secondary range name", example);
        }
    }
    if (typeof network.podsRangeName === "string" && network.podsRangeName === network.servicesRangeName) {
        problems.add(`${path}.servicesRangeName`, `got ${show(network.servicesRangeName)}, the same range as podsRangeName: pods and Services need separate secondary ranges, e.g. podsRangeName: "pods", servicesRangeName: "services"`);
    }
}
