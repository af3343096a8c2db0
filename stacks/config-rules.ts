/**
 * Rules about what the cloud itself offers or accepts, checked on the config as written (before any
 * resource exists, in the same pass as the shape): regions, zones, Kubernetes versions, machine
 * types, CIDR overlaps, cron fields, schedule forms, ARNs and AWS tag rules. Each rule looks only at
 * values of the right type; a wrong type is the shape's problem, reported once.
 */
import * as ipaddr from "ipaddr.js";
import { awsTagProblems } from "../components/tags";
import { ROLE_ARN } from "../components/cluster/network-ids";
import { isIpv4Cidr, show } from "../components/validation";
import { EKS_VERSIONS, GKE_VERSIONS, KUBERNETES_VERSION_SOURCE } from "./cloud-catalog/kubernetes-versions";
import { Cloud, REGION_SOURCE, cloudOfRegion, regionsOf } from "./cloud-catalog/regions";
import { ConfigProblems, didYouMean } from "./config-problems";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const CLOUD_NAME: Record<Cloud, string> = { aws: "AWS", gcp: "GCP" };

/** The region must be one the cloud has (the global role's too). */
export function checkRegion(problems: ConfigProblems, cloud: Cloud, region: unknown, path = "region"): void {
    if (typeof region !== "string" || region.trim() === "") return;
    const regions = Object.keys(regionsOf(cloud));
    if (regions.includes(region)) return;
    const other = cloudOfRegion(region);
    const guess = didYouMean(region, regions);
    problems.add(
        path,
        `got ${show(region)}: ${other ? `a region of ${CLOUD_NAME[other]}, and this stack is on ${CLOUD_NAME[cloud]}` : `not a region of ${CLOUD_NAME[cloud]} (list of ${REGION_SOURCE.collected}: ${REGION_SOURCE[cloud]})`}; e.g. ${guess ?? (cloud === "aws" ? "us-east-1" : "europe-west1")}`,
    );
}

/** EC2 instance types are `family.size` (m6i.large); GCE machine types `series-kind-n` (n2-standard-4). */
const EC2_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
const GCE_TYPE = /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/;

function checkMachineTypes(problems: ConfigProblems, cloud: Cloud, path: string, types: unknown): void {
    if (!Array.isArray(types)) return;
    types.forEach((t, i) => {
        if (typeof t !== "string") return;
        const ok = cloud === "aws" ? EC2_TYPE.test(t) : GCE_TYPE.test(t);
        if (ok) return;
        const other = cloud === "aws" ? GCE_TYPE.test(t) : EC2_TYPE.test(t);
        problems.add(
            `${path}[${i}]`,
            `got ${show(t)}: ${other ? (cloud === "aws" ? "a GCE machine type; an EKS pool needs EC2 instance types" : "an EC2 instance type; a GKE pool needs GCE machine types") : `not a ${cloud === "aws" ? "EC2 instance type" : "GCE machine type"}`}; e.g. ${cloud === "aws" ? "m6i.large" : "n2-standard-4"}`,
        );
    });
}

function checkKubernetesVersion(problems: ConfigProblems, cloud: Cloud, cluster: Record<string, unknown>, production: boolean): void {
    const version = cluster.kubernetesVersion;
    if (typeof version !== "string" || !/^1\.\d{2}$/.test(version)) return;
    if (cloud === "aws") {
        const offered = Object.keys(EKS_VERSIONS);
        if (!offered.includes(version)) {
            problems.add("cluster.kubernetesVersion", `got ${show(version)}: EKS does not offer it (offered as of ${KUBERNETES_VERSION_SOURCE.collected}: ${offered.join(", ")}); e.g. "1.33"`);
        }
        return;
    }
    const channel = typeof cluster.releaseChannel === "string" ? cluster.releaseChannel : production ? "STABLE" : "REGULAR";
    const offered = GKE_VERSIONS[channel as keyof typeof GKE_VERSIONS];
    if (offered && !offered.includes(version)) {
        problems.add("cluster.kubernetesVersion", `got ${show(version)}: GKE's ${channel} channel does not offer it (as of ${KUBERNETES_VERSION_SOURCE.collected}: ${offered.join(", ")}); e.g. "1.33"`);
    }
}

/** GKE's ranges: nodes, pods, services and the control plane must not overlap one another. */
const GKE_RANGES = { nodeCidr: "10.10.0.0/20", podCidr: "10.16.0.0/14", serviceCidr: "10.20.0.0/20", masterCidr: "172.16.0.0/28" } as const;

function checkGkeOverlaps(problems: ConfigProblems, cluster: Record<string, unknown>): void {
    const fields = Object.keys(GKE_RANGES) as (keyof typeof GKE_RANGES)[];
    const range = (f: keyof typeof GKE_RANGES): unknown => cluster[f] ?? GKE_RANGES[f];
    fields.forEach((a, i) => {
        for (const b of fields.slice(i + 1)) {
            const [ra, rb] = [range(a), range(b)];
            if (!isIpv4Cidr(ra) || !isIpv4Cidr(rb)) continue;
            if (!overlaps(ra, rb)) continue;
            // Reported under the key the user wrote (the later one when both are theirs).
            const key = cluster[b] !== undefined ? b : a;
            const other = key === b ? a : b;
            problems.add(`cluster.${key}`, `got ${show(range(key))}: it overlaps ${other} ${show(range(other))}${cluster[other] === undefined ? " (the default)" : ""}; GKE needs separate ranges, e.g. ${key}: "${GKE_RANGES[key]}"`);
        }
    });
}

export function overlaps(a: string, b: string): boolean {
    const [na, nb] = [ipaddr.IPv4.parseCIDR(a), ipaddr.IPv4.parseCIDR(b)];
    return na[0].match(nb) || nb[0].match(na);
}

/** KEDA's cron scaler and ASG scheduled actions take exactly 5 fields (minute hour day month weekday). */
export function checkSchedule(problems: ConfigProblems, path: string, schedule: unknown): void {
    if (!isObject(schedule)) return;
    const simple = ["days", "start", "end"].filter((k) => schedule[k] !== undefined);
    const cron = ["startCron", "endCron"].filter((k) => schedule[k] !== undefined);
    if (simple.length > 0 && cron.length > 0) {
        problems.add(`${path}.${cron[0]}`, `got both ${simple.join("/")} and ${cron.join("/")}: use one form of on-hours, either days/start/end or startCron/endCron, e.g. ${path}: { timeZone: "UTC", startCron: "0 7 * * 1-5", endCron: "0 20 * * 1-5" }`);
    }
    for (const key of cron) {
        const value = schedule[key];
        if (typeof value === "string" && value.trim().split(/\s+/).length !== 5) {
            problems.add(`${path}.${key}`, `got ${show(value)}: a cron expression of exactly 5 fields (minute hour day-of-month month day-of-week), as KEDA and Auto Scaling accept; e.g. "0 7 * * 1-5"`);
        }
    }
}


/** The cloud-level rules for one stack's config as written; `production` as the stack decides it. */
export function checkCloudRules(problems: ConfigProblems, raw: Record<string, unknown>, production: boolean): void {
    const cloud = raw.cloud === "aws" || raw.cloud === "gcp" ? raw.cloud : undefined;
    if (!cloud) return;
    checkRegion(problems, cloud, raw.region);
    if (cloud === "aws") {
        // Every tag the platform sets: the user's, then the standard ones from environment/owner/costCenter.
        const extra = isObject(raw.tags) && Object.values(raw.tags).every((v) => typeof v === "string") ? (raw.tags as Record<string, string>) : {};
        const standard = { environment: raw.environment, owner: raw.owner, costCenter: raw.costCenter };
        awsTagProblems(extra, standard).forEach((p) => problems.add(p.propertyPath, p.reason));
    }
    const cluster = isObject(raw.cluster) ? raw.cluster : undefined;
    if (cluster) {
        checkKubernetesVersion(problems, cloud, cluster, production);
        if (isObject(cluster.systemPool)) checkMachineTypes(problems, cloud, "cluster.systemPool.instanceTypes", cluster.systemPool.instanceTypes);
        // An existing network's ranges are its own: only a new network's defaults could overlap.
        if (cloud === "gcp" && cluster.network === undefined) checkGkeOverlaps(problems, cluster);
        if (cloud === "aws") {
            const zones = typeof raw.region === "string" ? regionsOf("aws")[raw.region] : undefined;
            const count = cluster.availabilityZoneCount;
            if (zones !== undefined && typeof count === "number" && Number.isInteger(count) && count > zones) {
                problems.add("cluster.availabilityZoneCount", `got ${count}: ${String(raw.region)} has ${zones} Availability Zones; use 2 to ${zones}, e.g. ${Math.min(3, zones)}`);
            }
            if (Array.isArray(cluster.adminRoleArns)) {
                cluster.adminRoleArns.forEach((arn, i) => {
                    if (typeof arn === "string" && !ROLE_ARN.test(arn)) {
                        problems.add(`cluster.adminRoleArns[${i}]`, `got ${show(arn)}: an IAM role ARN, not a name; e.g. "arn:aws:iam::123456789012:role/${/^[\w+=,.@-]+$/.test(arn) ? arn : "platform-admin"}"`);
                    }
                });
            }
        }
    }
    checkSchedule(problems, "schedule", raw.schedule);
    if (Array.isArray(raw.nodePools)) {
        raw.nodePools.forEach((pool, i) => {
            if (!isObject(pool)) return;
            checkMachineTypes(problems, cloud, `nodePools[${i}].instanceTypes`, pool.instanceTypes);
            checkSchedule(problems, `nodePools[${i}].schedule`, pool.schedule);
        });
    }
}
