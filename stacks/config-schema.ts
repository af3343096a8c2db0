/** The shape of `paved:*` stack config (zod), with a valid example per key for error messages. */
import { z } from "zod";
import { EXCLUSION_SCOPES } from "../components/cluster/gke-maintenance";

export const NAMESPACE = "paved";
/** Roles a stack can play. */
export const ROLES = ["regional", "preview", "global", "local"] as const;
/** Who applies a stack: `paved` (from a laptop or CI), or the Pulumi Kubernetes Operator from Git. */
export const RECONCILERS = ["operator", "paved"] as const;
const reconciler = z.enum(RECONCILERS, { error: 'must be "operator" or "paved"' });

/** A valid value for each key, shown with every problem so the fix is obvious. */
const EXAMPLES: Record<string, string> = {
    cloud: "aws",
    role: "regional",
    environment: "dev",
    region: "us-east-1",
    domain: "dev.example.com",
    owner: "platform-team",
    costCenter: "cc-1234",
    production: "false",
    reconciler: '"operator" (the Pulumi Kubernetes Operator reconciles this stack from Git; `paved up` refuses it) or "paved" (the default: `paved` drives it)',
    tags: '{ "team-channel": "platform" }',
    gcpProject: "acme-platform-dev",
    cluster: '{ kubernetesVersion: "1.33" }',
    "cluster.kubernetesVersion": '"1.33"',
    "cluster.clusterName": "paved-dev",
    "cluster.vpcCidr": "10.0.0.0/16",
    "cluster.network": '{ vpcId: vpc-0a1b2c3d4e5f67890, privateSubnetIds: [subnet-0a1b2c3d4e5f67890, subnet-0a1b2c3d4e5f67891] } on AWS; { network: shared-vpc, subnetwork: gke-nodes, podsRangeName: pods, servicesRangeName: services } on GCP',
    "cluster.network.vpcId": '"vpc-0a1b2c3d4e5f67890"',
    "cluster.network.privateSubnetIds": '["subnet-0a1b2c3d4e5f67890", "subnet-0a1b2c3d4e5f67891"] (two or more Availability Zones)',
    "cluster.network.publicSubnetIds": '["subnet-0f1e2d3c4b5a69788"]',
    "cluster.network.network": '"shared-vpc" or "projects/acme-network-host/global/networks/shared-vpc"',
    "cluster.network.subnetwork": '"gke-nodes" or "projects/acme-network-host/regions/europe-west1/subnetworks/gke-nodes"',
    "cluster.network.podsRangeName": '"pods" (the subnetwork\'s secondary range for pods)',
    "cluster.network.servicesRangeName": '"services" (the subnetwork\'s secondary range for Services)',
    "cluster.availabilityZoneCount": "3",
    "cluster.natGateways": "single",
    "cluster.publicEndpoint": "false",
    "cluster.publicAccessCidrs": '["203.0.113.0/24"]',
    "cluster.adminRoleArns": '["arn:aws:iam::123456789012:role/platform-admin"]',
    "cluster.bootstrapCreatorAdmin": "true",
    "cluster.logRetentionDays": "90",
    "cluster.releaseVersion": '"1.33.0-20250704" (an EKS AMI release of the cluster\'s Kubernetes version; omit it to follow AWS\'s recommended release)',
    "cluster.releaseChannel": "REGULAR",
    "cluster.nodeCidr": "10.10.0.0/20",
    "cluster.podCidr": "10.16.0.0/14",
    "cluster.serviceCidr": "10.20.0.0/20",
    "cluster.masterCidr": "172.16.0.0/28",
    "cluster.authorizedNetworks": '[{ cidrBlock: "203.0.113.0/24", displayName: "office" }]',
    "cluster.deletionProtection": "true",
    "cluster.maintenance": '{ window: { startTime: "2025-01-07T02:00:00Z", endTime: "2025-01-07T06:00:00Z", recurrence: "FREQ=WEEKLY;BYDAY=TU,WE,TH" }, exclusions: [{ name: "black-friday", startTime: "2026-11-25T00:00:00Z", endTime: "2026-12-02T00:00:00Z" }] }',
    "cluster.maintenance.window": '{ startTime: "2025-01-07T02:00:00Z", endTime: "2025-01-07T06:00:00Z", recurrence: "FREQ=WEEKLY;BYDAY=TU,WE,TH" }',
    "cluster.maintenance.exclusions": '[{ name: "black-friday", startTime: "2026-11-25T00:00:00Z", endTime: "2026-12-02T00:00:00Z", scope: "NO_UPGRADES" }]',
    "cluster.systemPool": '{ instanceTypes: ["m6i.large"], minSize: 1, maxSize: 3, diskSizeGiB: 50 }',
    "cluster.systemPool.instanceTypes": '["m6i.large", "m6a.large"]',
    "cluster.systemPool.minSize": "1",
    "cluster.systemPool.maxSize": "3",
    "cluster.systemPool.diskSizeGiB": "50",
    schedule: '{ timeZone: "Europe/Berlin", days: "Mon-Fri", start: "07:00", end: "20:00" } or "none"',
    nodePools: '[{ name: "apps", instanceTypes: ["m6i.large", "m6a.large", "m7i.large"], maxSize: 6 }]',
    "nodePools.name": '"apps"',
    "nodePools.instanceTypes": '["m6i.large", "m6a.large", "m7i.large"]',
    "nodePools.maxSize": "6",
    "nodePools.taints": '[{ key: "paved.io/spot", value: "true", effect: "NoSchedule" }]',
    "nodePools.schedule": '"none", or a schedule like paved:schedule',
    scaleToZero: '[{ namespace: "shop", name: "web", replicas: 2 }]',
    cost: '{ spotDiscount: 0.65, prices: { "m6i.large": 0.096 } }',
    vault: '{ address: "https://vault.example.com:8200", apps: [{ name: "payments", namespace: "payments", secrets: [{ name: "db", path: "dev/payments/db" }] }] }',
    "vault.address": '"https://vault.example.com:8200"',
    gitops: '{ repoUrl: "https://github.com/acme/platform-apps.git", path: "clusters/dev" }',
    delivery: '{ canaries: [{ app: "web", namespace: "shop", image: "ghcr.io/acme/web:1.4.2", hostname: "shop.dev.example.com" }] }',
    global: "{ primary: prod-us-east-1, standby: prod-us-west-2 }",
    "global.primary": "prod-us-east-1 (a regional stack whose paved:failover.role is primary)",
    "global.standby": "prod-us-west-2 (a regional stack whose paved:failover.role is standby)",
    "global.sourceRegions": '["us-east4", "europe-west1", "asia-southeast1"] (GCP only)',
    "global.managedZone": "paved-example-com",
    "global.healthCheck.intervalSeconds": "10 (Route 53: 10 or 30; Cloud DNS: 30 to 300)",
    "global.healthCheck.failureThreshold": "3",
    preview: "{ clusterStack: dev }",
    "preview.clusterStack": "dev (a regional stack of the same cloud)",
    "preview.pr": "123",
    "preview.managedZone": "dev-paved-example-com",
    local: "{ context: kind-paved }",
    "local.context": "kind-paved",
    "local.prometheusAddress": '"http://prometheus-server.monitoring.svc.cluster.local"',
    wake: '{ from: "2026-01-05T06:00:00Z", until: "2026-01-05T19:00:00Z" }, set for one run by `paved wake --stack dev`',
    "schedule.timeZone": '"Europe/Berlin"',
    "schedule.days": '"Mon-Fri"',
    "schedule.start": '"07:00"',
    "schedule.end": '"20:00"',
    "schedule.startCron": '"0 7 * * 1-5"',
    "schedule.endCron": '"0 20 * * 1-5"',
    "nodePools.minSize": "0",
    "nodePools.nodes": "3",
    "nodePools.labels": '{ workload: batch }',
    "nodePools.diskSizeGiB": "50",
    "nodePools.critical": "false",
    "nodePools.onDemandFallback": "true",
    "nodePools.schedule.timeZone": '"Europe/Berlin"',
    "nodePools.schedule.startCron": '"0 7 * * 1-5"',
    "nodePools.schedule.endCron": '"0 20 * * 1-5"',
    "scaleToZero.namespace": "shop",
    "scaleToZero.name": "web",
    "scaleToZero.kind": "Deployment",
    "scaleToZero.replicas": "2",
    "cost.spotDiscount": "0.65",
    "cost.prices": '{ "m6i.large": 0.096 }',
    "gitops.repoUrl": '"https://github.com/acme/platform-apps.git"',
    "gitops.path": '"clusters/dev"',
    "gitops.revision": '"main"',
    "gitops.sso": '{ issuer: "https://login.example.com", clientId: "argocd" }',
    fleet: '{ repoUrl: "https://github.com/acme/paved.git", backend: "s3://acme-pulumi-state" }',
    "fleet.repoUrl": '"https://github.com/acme/paved.git" (this repository: its Pulumi.<stack>.yaml files)',
    "fleet.branch": '"main"',
    "fleet.repoDir": '"infra" (the folder of Pulumi.yaml; omit it at the root)',
    "fleet.backend": '"s3://acme-pulumi-state" (the runner\'s PULUMI_BACKEND_URL)',
    "fleet.resyncSeconds": "600",
    "fleet.github": "{ owner: acme, repo: paved, label: preview-stack } (PR stacks, when Pulumi.pr.yaml says paved:reconciler: operator)",
    "fleet.previewOnly": '["prod"] (environments the operator only previews)',
    "prEnvironments.repoUrl": '"https://github.com/acme/shop.git"',
    "prEnvironments.path": '"deploy/chart"',
    "prEnvironments.github": "{ owner: acme, repo: shop }",
    "observability.sizing": '{ prometheusRetention: "15d", prometheusStorage: "100Gi", lokiRetention: "30d" }',
    "observability.sizing.prometheusRetention": '"15d"',
    "observability.sizing.prometheusStorage": '"100Gi"',
    "observability.sizing.lokiRetention": '"30d"',
    "observability.sizing.tempoRetention": '"14d"',
    "observability.slos": '[{ service: api, objective: 99.9, totalSelector: \'http_requests_total{service="api"}\', errorSelector: \'http_requests_total{service="api",code=~"5.."}\' }]',
    "observability.slos.objective": "99.9",
    "observability.slos.latency": '{ metric: http_request_duration_seconds, matchers: \'service="api"\', thresholdSeconds: 0.3, objective: 99 }',
    "vault.kvMount": '"secret"',
    "vault.apps": '[{ name: payments, namespace: payments, secrets: [{ name: db, path: dev/payments/db }] }]',
    "vault.apps.secrets": '[{ name: db, path: dev/payments/db }]',
    "vault.apps.secrets.path": '"dev/payments/db" (<environment>/<app>/...)',
    "vault.apps.mode": '"injector" or "operator"',
    "delivery.canaries": '[{ app: web, namespace: shop, image: "ghcr.io/acme/web:1.4.2", hostname: shop.dev.example.com }]',
    "delivery.canaries.steps": '[5, analysis, 25, analysis, 50, 100]',
    "delivery.canaries.analysis": '{ interval: "1m", count: 5, failureLimit: 1, maxErrorRatio: 0.01 }',
    "global.drill": "false (true only while `paved drill` runs)",
    "global.records": "[shop]",
    "global.healthCheck": "{ intervalSeconds: 10, failureThreshold: 3 }",
    "global.ttlSeconds": "30",
    failover: "{ role: standby, promoted: false, warmFloor: 1 }",
    "failover.role": "primary or standby",
    "failover.promoted": "true (the standby at primary capacity, during a failover)",
    "failover.warmFloor": "1",
    prEnvironments: '{ repoUrl: "https://github.com/acme/shop.git", path: "deploy/chart", github: { owner: "acme", repo: "shop" } }',
    "observability.traceSampling": "0.1 (keep one trace in ten; default 1 outside production, 0.1 in production)",
    observability: '{ sizing: { prometheusRetention: "15d" }, slos: [{ service: "api", objective: 99.9, totalSelector: "...", errorSelector: "..." }] }',
};

/** The example for a path, or for the nearest key above it. */
export function exampleFor(path: string): string {
    for (let p = path.replace(/\[\d+\]/g, ""); p !== ""; p = p.includes(".") ? p.slice(0, p.lastIndexOf(".")) : "") {
        if (EXAMPLES[p]) return EXAMPLES[p];
    }
    return "see the config reference in README.md (paved:<key> table)";
}

const text = z.string().trim().min(1, "must not be empty");
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Either form of on-hours; which one, and whether it is complete, the schedule rules decide. */
const scheduleObject = z.strictObject({
    timeZone: z.string(),
    days: z.string().optional(),
    start: z.string().optional(),
    end: z.string().optional(),
    startCron: z.string().optional(),
    endCron: z.string().optional(),
});
export const scheduleSetting = z.union([z.literal("none"), scheduleObject]);

/**
 * Entries a component checks for meaning (types, ranges): listed here key by key so an unknown key
 * is reported as a typo instead of silently falling back to a default. When a component learns a
 * key, add it here too.
 */
const keysOf = (...keys: string[]) => Object.fromEntries(keys.map((k) => [k, z.unknown().optional()])) as Record<string, z.ZodOptional<z.ZodUnknown>>;
export const canaryEntry = z.strictObject({
    ...keysOf("app", "namespace", "image", "hostname", "port", "replicas", "steps", "abortScaleDownDelaySeconds", "tracing", "tracingExecutable"),
    analysis: z.strictObject(keysOf("interval", "count", "failureLimit", "maxErrorRatio")).optional(),
});
export const sizingEntry = z.strictObject(
    keysOf("prometheusRetention", "prometheusStorage", "prometheusReplicas", "prometheusMemory", "alertmanagerReplicas", "lokiRetention", "lokiMode", "lokiReplicas", "tempoRetention", "collectorReplicas"),
);
export const sloEntry = z.strictObject({
    ...keysOf("service", "objective", "totalSelector", "errorSelector"),
    latency: z.strictObject(keysOf("metric", "matchers", "thresholdSeconds", "objective")).optional(),
});
export const vaultAppEntry = z.strictObject({
    ...keysOf("name", "namespace", "serviceAccount", "tokenTtlSeconds", "tokenMaxTtlSeconds", "mode", "reloadsSecrets", "tracing", "tracingExecutable"),
    secrets: z.array(z.strictObject(keysOf("name", "path", "capabilities", "secretLabels", "secretType"))).optional(),
    workload: z.strictObject(keysOf("kind", "name")).optional(),
});

export const nodePool = z.strictObject({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,24}[a-z0-9]$/, "use 2-26 lowercase letters, digits and '-', starting with a letter"),
    instanceTypes: z.array(z.string()),
    maxSize: z.number(),
    minSize: z.number().optional(),
    nodes: z.number().optional(),
    labels: z.record(z.string(), z.string()).optional(),
    taints: z.array(z.strictObject({ key: z.string(), value: z.string().optional(), effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]) })).optional(),
    diskSizeGiB: z.number().optional(),
    critical: z.boolean().optional(),
    onDemandFallback: z.boolean().optional(),
    schedule: scheduleSetting.optional(),
});

export const topLevel = z.strictObject({
    cloud: z.enum(["aws", "gcp"]),
    role: z.enum(ROLES),
    environment: z.string().regex(/^[a-z][a-z0-9-]{0,19}$/, "use lowercase letters, digits and '-' (at most 20), starting with a letter"),
    region: text,
    domain: z.string().regex(DNS_NAME, "must be a lowercase DNS name"),
    owner: text,
    costCenter: text,
    production: z.boolean().optional(),
    reconciler: reconciler.optional(),
    tags: z.record(z.string(), z.string()).optional(),
    gcpProject: z.string().optional(),
    cluster: z.record(z.string(), z.unknown()).optional(),
    schedule: scheduleSetting.optional(),
    // Set for one run by `paved wake`, never in a file.
    wake: z.strictObject({ from: z.string(), until: z.string() }).optional(),
    nodePools: z.array(nodePool).optional(),
    scaleToZero: z.array(z.strictObject({
        namespace: z.string(),
        name: z.string(),
        kind: z.enum(["Deployment", "StatefulSet"]).optional(),
        replicas: z.number(),
    })).optional(),
    cost: z.strictObject({ spotDiscount: z.number().optional(), prices: z.record(z.string(), z.number()).optional() }).optional(),
    observability: z.strictObject({
        sizing: sizingEntry.optional(),
        slos: z.array(sloEntry).optional(),
        traceSampling: z.number().optional(),
    }).optional(),
    gitops: z.strictObject({
        repoUrl: z.string(),
        path: z.string(),
        revision: z.string().optional(),
        sso: z.strictObject({ issuer: z.string(), clientId: z.string() }).optional(),
    }).optional(),
    delivery: z.strictObject({ canaries: z.array(canaryEntry).optional() }).optional(),
    failover: z.strictObject({
        role: z.enum(["primary", "standby"]),
        promoted: z.boolean().optional(),
        warmFloor: z.number().int().min(0).max(10).optional(),
    }).optional(),
    prEnvironments: z.strictObject({
        repoUrl: z.string(),
        path: z.string(),
        github: z.strictObject({ owner: z.string(), repo: z.string() }),
        managedZone: z.string().optional(),
    }).optional(),
    // The Pulumi Kubernetes Operator on this (management) cluster; checked by stacks/fleet-config.ts.
    fleet: z.strictObject({
        repoUrl: z.string(),
        branch: z.string().optional(),
        repoDir: z.string().optional(),
        backend: z.string(),
        resyncSeconds: z.number().optional(),
        previewOnly: z.array(z.string()).optional(),
        github: z.strictObject({ owner: z.string(), repo: z.string(), label: z.string().optional() }).optional(),
    }).optional(),
    // Apps are checked by the Vault component's own rules (they also catch plaintext values).
    vault: z.strictObject({
        address: z.string(),
        kvMount: z.string().optional(),
        createKvMount: z.boolean().optional(),
        apps: z.array(vaultAppEntry),
    }).optional(),
});

const systemPool = z.strictObject({
    instanceTypes: z.array(z.string()).optional(),
    minSize: z.number().optional(),
    maxSize: z.number().optional(),
    diskSizeGiB: z.number().optional(),
});
export const awsCluster = z.strictObject({
    kubernetesVersion: z.string(),
    clusterName: z.string().optional(),
    // An existing VPC instead of a new one; IDs checked for meaning by the EKS component's own rules.
    network: z.strictObject({ vpcId: z.string(), privateSubnetIds: z.array(z.string()), publicSubnetIds: z.array(z.string()).optional() }).optional(),
    vpcCidr: z.string().optional(),
    availabilityZoneCount: z.number().optional(),
    natGateways: z.enum(["perZone", "single"]).optional(),
    publicEndpoint: z.boolean().optional(),
    publicAccessCidrs: z.array(z.string()).optional(),
    adminRoleArns: z.array(z.string()).optional(),
    bootstrapCreatorAdmin: z.boolean().optional(),
    logRetentionDays: z.number().optional(),
    systemPool: systemPool.optional(),
    releaseVersion: z.string().optional(),
});
export const gcpCluster = z.strictObject({
    kubernetesVersion: z.string(),
    releaseChannel: z.enum(["RAPID", "REGULAR", "STABLE"]).optional(),
    // An existing network instead of a new one; names checked for meaning by the GKE component's own rules.
    network: z.strictObject({ network: z.string(), subnetwork: z.string(), podsRangeName: z.string(), servicesRangeName: z.string() }).optional(),
    nodeCidr: z.string().optional(),
    podCidr: z.string().optional(),
    serviceCidr: z.string().optional(),
    masterCidr: z.string().optional(),
    publicEndpoint: z.boolean().optional(),
    authorizedNetworks: z.array(z.strictObject({ cidrBlock: z.string(), displayName: z.string() })).optional(),
    deletionProtection: z.boolean().optional(),
    // Checked for meaning (RFC 3339, RRULE, end after start) by the GKE component's own rules.
    maintenance: z.strictObject({
        window: z.strictObject({ startTime: z.string(), endTime: z.string(), recurrence: z.string() }).optional(),
        exclusions: z.array(z.strictObject({ name: z.string(), startTime: z.string(), endTime: z.string(), scope: z.enum(EXCLUSION_SCOPES).optional() })).optional(),
    }).optional(),
    systemPool: systemPool.optional(),
});

/** The object schema at a key path (`nodePools[0].taints`), looking through optionals, arrays and unions. */
function objectAt(schema: z.ZodType, segments: readonly string[]): z.ZodObject | undefined {
    let at: z.ZodType | undefined = schema;
    const unwrap = (t: z.ZodType | undefined): z.ZodType | undefined => {
        for (let i = 0; i < 8 && t; i++) {
            const def = (t as unknown as { def: { type: string; innerType?: z.ZodType; element?: z.ZodType; options?: z.ZodType[] } }).def;
            if (def.type === "optional" || def.type === "default" || def.type === "prefault" || def.type === "nullable") t = def.innerType;
            else if (def.type === "array") t = def.element;
            else if (def.type === "union") t = def.options?.find((o) => (o as unknown as { def: { type: string } }).def.type === "object");
            else return t;
        }
        return t;
    };
    for (const segment of segments) {
        const object = unwrap(at);
        at = object instanceof z.ZodObject ? (object.shape as Record<string, z.ZodType>)[segment] : undefined;
    }
    const found = unwrap(at);
    return found instanceof z.ZodObject ? found : undefined;
}

/** The keys allowed at a path (names without the path), for the "did you mean" part of an unknown-key error. */
export function knownKeys(path: string, cloud: "aws" | "gcp" | undefined, role?: string): string[] {
    const segments = path.replace(/\[\d+\]/g, "").split(".").filter((s) => s !== "");
    const root = role === "preview" ? previewTopLevel : role === "global" ? globalTopLevel : role === "local" ? localTopLevel : topLevel;
    const shape = segments[0] === "cluster" && (role === undefined || role === "regional")
        ? objectAt(cloud === "gcp" ? gcpCluster : awsCluster, segments.slice(1))
        : objectAt(root, segments);
    return Object.keys(shape?.shape ?? {});
}

/** Config values arrive as strings; objects and arrays as JSON, booleans as "true"/"false". */
export function parseValue(raw: string): unknown {
    if (raw === "true") return true;
    if (raw === "false") return false;
    if (/^\s*[[{]/.test(raw)) {
        try {
            return JSON.parse(raw);
        } catch {
            return raw;
        }
    }
    return raw;
}

/** What every role shares: where the stack is, who pays for it. */
const common = {
    cloud: z.enum(["aws", "gcp"]),
    environment: topLevel.shape.environment,
    region: text,
    domain: topLevel.shape.domain,
    owner: text,
    costCenter: text,
    production: z.boolean().optional(),
    reconciler: reconciler.optional(),
    tags: z.record(z.string(), z.string()).optional(),
    gcpProject: z.string().optional(),
};

/** A per-PR stack: namespace-level resources on a shared cluster of another stack. */
export const previewTopLevel = z.strictObject({
    ...common,
    role: z.literal("preview"),
    preview: z.strictObject({
        clusterStack: z.string(),
        pr: z.number().int().positive().optional(),
        managedZone: z.string().optional(),
    }),
});

/** The multi-region stack: it reads the primary and standby regional stacks. */
export const globalTopLevel = z.strictObject({
    ...common,
    role: z.literal("global"),
    global: z.strictObject({
        primary: z.string(),
        standby: z.string(),
        drill: z.boolean().optional(),
        records: z.array(z.string()).optional(),
        healthCheck: z.strictObject({ intervalSeconds: z.number().optional(), failureThreshold: z.number().optional() }).optional(),
        ttlSeconds: z.number().optional(),
        managedZone: z.string().optional(),
        sourceRegions: z.array(z.string()).optional(),
    }),
});

/** The Kubernetes-level components on an existing cluster chosen by kubeconfig context (a laptop cluster). */
export const localTopLevel = z.strictObject({
    ...common,
    role: z.literal("local"),
    local: z.strictObject({ context: z.string().trim().min(1, "must not be empty"), prometheusAddress: z.string().optional() }),
    schedule: scheduleSetting.optional(),
    scaleToZero: topLevel.shape.scaleToZero,
    gitops: topLevel.shape.gitops,
    delivery: topLevel.shape.delivery,
});
