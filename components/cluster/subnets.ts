import * as ipaddr from "ipaddr.js";

/** Largest number of availability zones a VPC layout is cut for. */
export const MAX_ZONES = 6;

export interface SubnetLayout {
    /** One large private subnet per zone, for nodes and pods (the VPC CNI gives pods VPC addresses). */
    readonly private: string[];
    /** One small public subnet per zone, for load balancers and NAT gateways only. */
    readonly public: string[];
}

/**
 * Cuts a VPC into eighths: the first `zones` eighths are private subnets; the last eighth is cut
 * into eight small public subnets. A /16 gives /19 private (8190 addresses) and /22 public subnets.
 */
export function subnetLayout(vpcCidr: string, zones: number): SubnetLayout {
    const [network, prefix] = ipaddr.IPv4.parseCIDR(vpcCidr);
    const base = toNumber(network);
    const eighth = 2 ** (32 - prefix - 3);
    const publicSize = eighth / 8;
    const range = Array.from({ length: zones }, (_, i) => i);
    return {
        private: range.map((i) => cidr(base + i * eighth, prefix + 3)),
        public: range.map((i) => cidr(base + 7 * eighth + i * publicSize, prefix + 6)),
    };
}

function toNumber(address: ipaddr.IPv4): number {
    return address.octets.reduce((n, octet) => n * 256 + octet, 0);
}

function cidr(n: number, prefix: number): string {
    const octets = [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256);
    return `${octets.join(".")}/${prefix}`;
}
