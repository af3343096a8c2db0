import * as compute from "@pulumi/gcp/compute";
import * as dns from "@pulumi/gcp/dns";
import * as pulumi from "@pulumi/pulumi";
import { HEALTH_PATH, globalHealthHost } from "../delivery/health-endpoint";
import { Problems, show } from "../validation";
import { FailoverArgs, failoverBoundSeconds, resolveFailoverArgs } from "./failover-args";

/** Arguments of CloudDnsFailover: the regions, the domain and its Cloud DNS managed zone. */
export interface CloudDnsFailoverArgs extends FailoverArgs {
    /** The Cloud DNS managed zone of the domain. */
    readonly managedZone: string;
    /**
     * The three regions Google health-checks external endpoints from.
     * @default ["us-east4", "europe-west1", "asia-southeast1"]
     */
    readonly sourceRegions?: readonly string[];
}

/**
 * Global failover on Cloud DNS: one global HTTPS health check of both regions' Gateway addresses
 * (Host `health.<domain>`, which every region answers), and per failover name an A record with a
 * primary-backup routing policy and a low TTL.
 *
 * Cloud DNS has no inverted health check. The drill knob is the documented alternative: the
 * policy's `trickleRatio` goes to 1, so every answer is the backup while the primary keeps running
 * untouched. That exercises the standby and clients following the TTL, but not the health check's
 * detection time; the drill's objective should allow for that difference.
 */
export class CloudDnsFailover extends pulumi.ComponentResource {
    public readonly globalEndpoint: string;
    public readonly healthCheckId: pulumi.Output<string>;
    public readonly failoverBoundSeconds: number;

    constructor(name: string, args: CloudDnsFailoverArgs, opts?: pulumi.ComponentResourceOptions) {
        super("paved:failover:CloudDnsFailover", name, {}, opts);
        const { resolved, problems } = resolveFailoverArgs(args, { intervals: (s) => s >= 30 && s <= 300, intervalHint: "Cloud DNS external health checks run every 30 to 300 seconds, e.g. 30", defaultInterval: 30 });
        const sourceRegions = args.sourceRegions ?? ["us-east4", "europe-west1", "asia-southeast1"];
        checkSourceRegions(problems, sourceRegions);
        problems.check(typeof args.managedZone === "string" && args.managedZone !== "", "managedZone", `got ${show(args.managedZone)}: the zone's name, e.g. "paved-example-com"`);
        problems.throwIfAny("CloudDnsFailover");
        const child = { parent: this };

        const check = new compute.HealthCheck(`${name}-health`, {
            description: `Failover health of ${globalHealthHost(args.domain)}`,
            checkIntervalSec: resolved.intervalSeconds,
            timeoutSec: 10,
            unhealthyThreshold: resolved.failureThreshold,
            healthyThreshold: 2,
            httpsHealthCheck: { port: 443, requestPath: HEALTH_PATH, host: globalHealthHost(args.domain) },
            sourceRegions: [...sourceRegions],
        }, child);

        for (const label of resolved.records) {
            new dns.RecordSet(`${name}-${label}`, {
                managedZone: args.managedZone,
                name: `${label}.${args.domain}.`,
                type: "A",
                ttl: resolved.ttlSeconds,
                routingPolicy: {
                    healthCheck: check.id,
                    primaryBackup: {
                        primary: { externalEndpoints: [args.primary.gateway] },
                        backupGeos: [{ location: args.standby.region, healthCheckedTargets: { externalEndpoints: [args.standby.gateway] } }],
                        trickleRatio: resolved.drill ? 1 : 0,
                    },
                },
            }, child);
        }
        this.globalEndpoint = `https://${globalHealthHost(args.domain)}${HEALTH_PATH}`;
        this.healthCheckId = check.id;
        this.failoverBoundSeconds = failoverBoundSeconds(resolved);
        this.registerOutputs({ globalEndpoint: this.globalEndpoint, healthCheckId: this.healthCheckId });
    }
}

function checkSourceRegions(problems: Problems, regions: readonly string[]): void {
    problems.check(regions.length === 3 && new Set(regions).size === 3, "sourceRegions", `got ${show(regions)}: exactly three different regions, e.g. ["us-east4", "europe-west1", "asia-southeast1"]`);
}
