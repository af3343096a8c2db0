import * as route53 from "@pulumi/aws/route53";
import * as pulumi from "@pulumi/pulumi";
import { HEALTH_PATH, globalHealthHost, regionalHealthHost } from "../delivery/health-endpoint";
import { awsTags } from "../tags";
import { FailoverArgs, failoverBoundSeconds, resolveFailoverArgs } from "./failover-args";

/**
 * Global failover on Route 53: per region an HTTPS health check of its own health endpoint
 * (`health-<region>.<domain>`, which the regional stack publishes) that must find the region's name
 * in the answer; per
 * failover name a PRIMARY and a SECONDARY record with a low TTL. The drill knob inverts the
 * primary's health check (`invertHealthcheck`): Route 53 sees the primary as failed while its
 * workloads keep running untouched.
 */
export class Route53Failover extends pulumi.ComponentResource {
    /** What the drill probes: the failover name of the health endpoint. */
    public readonly globalEndpoint: string;
    public readonly healthCheckIds: { readonly primary: pulumi.Output<string>; readonly standby: pulumi.Output<string> };
    /** The longest a real failure takes to move clients: interval × threshold + TTL. */
    public readonly failoverBoundSeconds: number;

    constructor(name: string, args: FailoverArgs, opts?: pulumi.ComponentResourceOptions) {
        super("paved:failover:Route53Failover", name, {}, opts);
        const { resolved, problems } = resolveFailoverArgs(args, { intervals: (s) => s === 10 || s === 30, intervalHint: "Route 53 checks every 10 or 30 seconds, e.g. 10", defaultInterval: 10 });
        problems.throwIfAny("Route53Failover");
        const child = { parent: this };
        const zoneId = route53.getZoneOutput({ name: args.domain, privateZone: false }, child).zoneId;

        const checks = Object.fromEntries((["primary", "standby"] as const).map((role) => {
            const { region } = args[role];
            const host = regionalHealthHost(args.domain, region);
            const check = new route53.HealthCheck(`${name}-${role}`, {
                type: "HTTPS_STR_MATCH",
                fqdn: host,
                port: 443,
                enableSni: true,
                resourcePath: HEALTH_PATH,
                searchString: region,
                requestInterval: resolved.intervalSeconds,
                failureThreshold: resolved.failureThreshold,
                invertHealthcheck: role === "primary" && resolved.drill,
                tags: { ...awsTags(args.tags), Name: `${host}${HEALTH_PATH}` },
            }, child);
            return [role, check];
        })) as Record<"primary" | "standby", route53.HealthCheck>;

        for (const label of resolved.records) {
            for (const role of ["primary", "standby"] as const) {
                new route53.Record(`${name}-${label}-${role}`, {
                    zoneId,
                    name: `${label}.${args.domain}`,
                    type: "CNAME",
                    ttl: resolved.ttlSeconds,
                    setIdentifier: role,
                    failoverRoutingPolicies: [{ type: role === "primary" ? "PRIMARY" : "SECONDARY" }],
                    healthCheckId: checks[role].id,
                    records: [args[role].gateway],
                }, child);
            }
        }
        this.globalEndpoint = `https://${globalHealthHost(args.domain)}${HEALTH_PATH}`;
        this.healthCheckIds = { primary: checks.primary.id, standby: checks.standby.id };
        this.failoverBoundSeconds = failoverBoundSeconds(resolved);
        this.registerOutputs({ globalEndpoint: this.globalEndpoint, healthCheckIds: this.healthCheckIds });
    }
}
