import * as compute from "@pulumi/gcp/compute";
import * as pulumi from "@pulumi/pulumi";
import { ExistingGcpNetwork } from "./gke-args";

/** What the cluster and its firewall need of the network, whoever made it. */
export interface GcpClusterNetwork {
    /** The network's ID or name, as the cluster and firewall rules take it. */
    readonly network: pulumi.Output<string>;
    readonly networkName: pulumi.Output<string>;
    readonly subnetwork: pulumi.Output<string>;
    readonly podsRangeName: string;
    readonly servicesRangeName: string;
    /** The network's project when it is another one (a Shared VPC named by its path): firewall rules go there. */
    readonly project?: string;
}

/** An existing network, used as given: nothing is created in it but the cluster's own firewall rules. */
export function existingGcpNetwork(network: ExistingGcpNetwork): GcpClusterNetwork {
    const given = pulumi.output(network.network);
    return {
        network: given,
        networkName: given.apply((n) => n.split("/").pop() ?? n),
        subnetwork: pulumi.output(network.subnetwork),
        podsRangeName: network.podsRangeName,
        servicesRangeName: network.servicesRangeName,
        project: typeof network.network === "string" ? /^projects\/([^/]+)\//.exec(network.network)?.[1] : undefined,
    };
}

/** The cluster's own network: one subnet with secondary ranges for pods and Services, and Cloud NAT for private nodes. */
export function newGcpNetwork(
    name: string,
    args: { readonly project: string; readonly region: string; readonly nodeCidr: string; readonly podCidr: string; readonly serviceCidr: string },
    child: pulumi.CustomResourceOptions,
): GcpClusterNetwork {
    const { project } = args;
    const network = new compute.Network(`${name}-vpc`, {
        project,
        autoCreateSubnetworks: false,
        routingMode: "REGIONAL",
    }, child);
    const subnet = new compute.Subnetwork(`${name}-nodes`, {
        project,
        region: args.region,
        network: network.id,
        ipCidrRange: args.nodeCidr,
        privateIpGoogleAccess: true,
        secondaryIpRanges: [
            { rangeName: "pods", ipCidrRange: args.podCidr },
            { rangeName: "services", ipCidrRange: args.serviceCidr },
        ],
        logConfig: { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" },
    }, child);
    const router = new compute.Router(`${name}-router`, { project, region: args.region, network: network.id }, child);
    new compute.RouterNat(`${name}-nat`, {
        project,
        region: args.region,
        router: router.name,
        natIpAllocateOption: "AUTO_ONLY",
        sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
        logConfig: { enable: true, filter: "ERRORS_ONLY" },
    }, child);
    return { network: network.id, networkName: network.name, subnetwork: subnet.id, podsRangeName: "pods", servicesRangeName: "services" };
}
