import type { Region as AwsRegion } from "@pulumi/aws/types/enums";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { awsSdk, gcpSdk } from "../components/cloud-sdk";
import { PreviewNamespace } from "../components/preview/preview-namespace";
import { PreviewConfig } from "./preview-config";

/**
 * The preview role: one pull request's environment on the shared dev cluster, reached through a
 * StackReference (its kubeconfig and Gateway address), with its own record `pr-<n>.<domain>`. It
 * creates no cluster and no nodes.
 */
export function preview(config: PreviewConfig): Record<string, unknown> {
    const shared = new pulumi.StackReference(config.clusterStack, { name: config.clusterStack });
    const provider = new k8s.Provider("shared-cluster", { kubeconfig: shared.requireOutput("kubeconfig") as pulumi.Output<string> });
    const env = new PreviewNamespace(`pr-${config.pr}`, { pr: config.pr, tags: config.tags }, { providers: [provider] });
    const host = `pr-${config.pr}.${config.domain}`;
    // Only the stack's own cloud is loaded: a team on one cloud has no SDK of the other.
    if (config.cloud === "aws") {
        const aws = awsSdk();
        const cloud = new aws.Provider("aws", { region: config.region as AwsRegion });
        new aws.route53.Record(`pr-${config.pr}-dns`, {
            zoneId: aws.route53.getZoneOutput({ name: config.domain, privateZone: false }, { provider: cloud }).zoneId,
            name: host,
            type: "CNAME",
            ttl: 60,
            records: [shared.requireOutput("gatewayHostname") as pulumi.Output<string>],
        }, { provider: cloud });
    } else {
        const gcp = gcpSdk();
        const cloud = new gcp.Provider("gcp", { project: config.gcpProject, region: config.region });
        new gcp.dns.RecordSet(`pr-${config.pr}-dns`, {
            managedZone: config.managedZone,
            name: `${host}.`,
            type: "A",
            ttl: 60,
            rrdatas: [shared.requireOutput("gatewayAddress") as pulumi.Output<string>],
        }, { provider: cloud });
    }
    return { url: `https://${host}`, namespace: env.namespace, clusterStack: config.clusterStack };
}
