import type { Region as AwsRegion } from "@pulumi/aws/types/enums";
import * as pulumi from "@pulumi/pulumi";
import { awsComponents, awsSdk, gcpComponents, gcpSdk } from "../components/cloud-sdk";
import { regionalHealthHost } from "../components/delivery/health-endpoint";
import { FailoverArgs } from "../components/failover/failover-args";
import { GlobalConfig } from "./global-config";

/**
 * The global role: the stack above the regions. It reads each region's Gateway address through a
 * StackReference and routes the failover names to the primary while its health check passes, to
 * the standby otherwise. `paved:global.drill` is the drill knob.
 */
export function global(config: GlobalConfig): Record<string, unknown> {
    const gatewayOf = (stack: string) => {
        const ref = new pulumi.StackReference(stack, { name: stack });
        return ref.requireOutput(config.cloud === "aws" ? "gatewayHostname" : "gatewayAddress") as pulumi.Output<string>;
    };
    const args: FailoverArgs = {
        domain: config.domain,
        primary: { region: config.primary.region, gateway: gatewayOf(config.primary.stack) },
        standby: { region: config.standby.region, gateway: gatewayOf(config.standby.stack) },
        records: config.records,
        healthCheck: config.healthCheck,
        ttlSeconds: config.ttlSeconds,
        drill: config.drill,
        tags: config.tags,
    };
    // Only the stack's own cloud is loaded: a team on one cloud has no SDK of the other.
    const failover = config.cloud === "aws"
        ? new (awsComponents().Route53Failover)("failover", args, { providers: [new (awsSdk().Provider)("aws", { region: config.region as AwsRegion })] })
        : new (gcpComponents().CloudDnsFailover)("failover", { ...args, managedZone: config.managedZone, sourceRegions: config.sourceRegions }, { providers: [new (gcpSdk().Provider)("gcp", { project: config.gcpProject, region: config.region })] });
    const region = (r: GlobalConfig["primary"]) => ({ ...r, healthEndpoint: `https://${regionalHealthHost(config.domain, r.region)}/healthz` });
    return {
        domain: config.domain,
        globalEndpoint: failover.globalEndpoint,
        primary: region(config.primary),
        standby: region(config.standby),
        // The applied drill knob: what `paved drill` reads back after each update.
        drill: config.drill,
        failoverBoundSeconds: failover.failoverBoundSeconds,
    };
}
