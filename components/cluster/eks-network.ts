import * as ec2 from "@pulumi/aws/ec2";
import { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
import * as pulumi from "@pulumi/pulumi";
import { ExistingVpc, NatGatewayMode } from "./eks-args";
import { subnetLayout } from "./subnets";

/** What the cluster, its firewalls and its node groups need of the network, whoever made it. */
export interface EksNetwork {
    readonly vpcId: pulumi.Output<string>;
    /** Every IPv4 range of the VPC: what the security groups admit load balancers, nodes and pods from. */
    readonly vpcCidrs: pulumi.Output<string[]>;
    readonly privateSubnetIds: pulumi.Output<string>[];
    readonly publicSubnetIds: pulumi.Output<string>[];
}

/**
 * An existing VPC, used as given: nothing is created in it here. Its ranges are read from EC2
 * (DescribeVpcs), primary and secondary ones alike, so the rules follow the VPC as it is.
 */
export function existingVpc(network: ExistingVpc, opts: pulumi.InvokeOutputOptions): EksNetwork {
    const vpc = ec2.getVpcOutput({ id: network.vpcId }, opts);
    return {
        vpcId: vpc.id,
        vpcCidrs: vpc.cidrBlockAssociations.apply((blocks) => blocks.map((b) => b.cidrBlock)),
        privateSubnetIds: network.privateSubnetIds.map((id) => pulumi.output(id)),
        publicSubnetIds: (network.publicSubnetIds ?? []).map((id) => pulumi.output(id)),
    };
}

/**
 * The cluster's own VPC: private subnets for nodes, public subnets only for load balancers and NAT,
 * and one shared NAT gateway or one per zone.
 */
export function newVpc(
    name: string,
    args: { readonly vpcCidr: string; readonly availabilityZoneCount: number; readonly natGateways: NatGatewayMode; readonly tags: Record<string, string> },
    child: pulumi.CustomResourceOptions,
): EksNetwork {
    const zones = getAvailabilityZonesOutput({ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }, child)
        .names.apply((names) => {
            if (names.length < args.availabilityZoneCount) {
                throw new Error(
                    `EksCluster ${name}: availabilityZoneCount is ${args.availabilityZoneCount} but the region offers only ${names.length} zones (${names.join(", ")}); lower availabilityZoneCount`,
                );
            }
            return names.slice(0, args.availabilityZoneCount);
        });
    const layout = subnetLayout(args.vpcCidr, args.availabilityZoneCount);
    const vpc = new ec2.Vpc(`${name}-vpc`, {
        cidrBlock: args.vpcCidr,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: { ...args.tags, Name: `${name}-vpc` },
    }, child);
    const igw = new ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { ...args.tags, Name: `${name}-igw` } }, child);
    const publicRoutes = new ec2.RouteTable(`${name}-public`, {
        vpcId: vpc.id,
        routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
        tags: { ...args.tags, Name: `${name}-public` },
    }, child);

    const publicSubnets = layout.public.map((cidrBlock, i) => {
        const subnet = new ec2.Subnet(`${name}-public-${i}`, {
            vpcId: vpc.id,
            cidrBlock,
            availabilityZone: zones[i],
            mapPublicIpOnLaunch: false,
            tags: { ...args.tags, Name: `${name}-public-${i}`, "kubernetes.io/role/elb": "1" },
        }, child);
        new ec2.RouteTableAssociation(`${name}-public-${i}`, { subnetId: subnet.id, routeTableId: publicRoutes.id }, child);
        return subnet;
    });

    const natCount = args.natGateways === "perZone" ? args.availabilityZoneCount : 1;
    const nats = publicSubnets.slice(0, natCount).map((subnet, i) => {
        const eip = new ec2.Eip(`${name}-nat-${i}`, { domain: "vpc", tags: { ...args.tags, Name: `${name}-nat-${i}` } }, child);
        return new ec2.NatGateway(`${name}-nat-${i}`, {
            allocationId: eip.id,
            subnetId: subnet.id,
            tags: { ...args.tags, Name: `${name}-nat-${i}` },
        }, { ...child, dependsOn: [igw] });
    });

    const privateSubnets = layout.private.map((cidrBlock, i) => {
        const subnet = new ec2.Subnet(`${name}-private-${i}`, {
            vpcId: vpc.id,
            cidrBlock,
            availabilityZone: zones[i],
            tags: { ...args.tags, Name: `${name}-private-${i}`, "kubernetes.io/role/internal-elb": "1" },
        }, child);
        const routes = new ec2.RouteTable(`${name}-private-${i}`, {
            vpcId: vpc.id,
            routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nats[Math.min(i, nats.length - 1)].id }],
            tags: { ...args.tags, Name: `${name}-private-${i}` },
        }, child);
        new ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: subnet.id, routeTableId: routes.id }, child);
        return subnet;
    });
    return {
        vpcId: vpc.id,
        vpcCidrs: pulumi.output([args.vpcCidr]),
        privateSubnetIds: privateSubnets.map((s) => s.id),
        publicSubnetIds: publicSubnets.map((s) => s.id),
    };
}
