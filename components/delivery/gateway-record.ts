import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { awsSdk, gcpSdk } from "../cloud-sdk";
import { gatewayAddress } from "./gateway-address";

/** Where a domain's records are published: a Route 53 hosted zone by name, or a Cloud DNS managed zone. */
export type GatewayDns = { readonly cloud: "aws" } | { readonly cloud: "gcp"; readonly project: string; readonly managedZone: string };

/**
 * A record `<label>.<domain>` pointing at the shared Gateway's load balancer: a CNAME to its
 * hostname on Route 53, an A record of its address on Cloud DNS. Fails clearly while the load
 * balancer has no address yet.
 */
export function gatewayRecord(name: string, args: { readonly label: string; readonly domain: string; readonly gateway: k8s.apiextensions.CustomResource; readonly dns: GatewayDns }, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
    const address = (type: "Hostname" | "IPAddress") =>
        gatewayAddress(args.gateway, type).apply((value) => {
            if (!value) throw new Error(`${name}: the Gateway reports no ${type} address yet; its load balancer is not ready`);
            return value;
        });
    if (args.dns.cloud === "aws") {
        const aws = awsSdk();
        return new aws.route53.Record(name, {
            zoneId: aws.route53.getZoneOutput({ name: args.domain, privateZone: false }, opts).zoneId,
            name: `${args.label}.${args.domain}`,
            type: "CNAME",
            ttl: 60,
            records: [address("Hostname")],
        }, opts);
    }
    const gcp = gcpSdk();
    return new gcp.dns.RecordSet(name, {
        project: args.dns.project,
        managedZone: args.dns.managedZone,
        name: `${args.label}.${args.domain}.`,
        type: "A",
        ttl: 60,
        rrdatas: [address("IPAddress")],
    }, opts);
}
