import { z } from "zod";
import { EksClusterArgs, eksClusterProblems, resolveEksClusterArgs } from "../components/cluster/eks-args";
import { GkeClusterArgs, gkeClusterProblems, resolveGkeClusterArgs } from "../components/cluster/gke-args";
import { CostOptions, PoolCostInput, costProblems } from "../components/nodepools/cost";
import { ScheduledWorkload } from "../components/nodepools/scaled-object";
import { ScheduleArgs, scheduleProblems } from "../components/nodepools/schedule";
import { SpotPoolArgs, resolveSpotPoolArgs, spotPoolCostInput, spotPoolProblems } from "../components/nodepools/spot-pool-args";
import { workloadScheduleProblems } from "../components/nodepools/workload-schedule";
import { WakeWindow, wakeProblems } from "../components/nodepools/wake";
import { systemPoolSchedule } from "../components/cluster/system-pool";
import { ObservabilitySizing } from "../components/observability/sizing";
import { SloSpec } from "../components/observability/slo";
import { observabilityProblems } from "../components/observability/observability-stack";
import { defaultTraceSampling } from "../components/observability/instrumentation";
import { CanarySpec, canaryProblems } from "../components/delivery/canary-spec";
import { GitSource } from "../components/delivery/gitops-spec";
import { gitOpsProblems } from "../components/delivery/gitops";
import { prEnvironmentsProblems } from "../components/delivery/pr-environments";
import { VaultAppSpec } from "../components/vault/app-spec";
import { vaultSecretsProblems } from "../components/vault/vault-secrets";
import { CostTags } from "../components/tags";
import { show } from "../components/validation";
import { ARGOCD_GITHUB_SECRET, ARGOCD_SSO_SECRET, GRAFANA_ADMIN, platformVaultApps } from "./platform-apps";
import { ConfigProblems, StackConfigError, parseLenient, pavedConfig, tagsOf } from "./config-problems";
import { checkCloudRules } from "./config-rules";
import { FleetSettings } from "./fleet";
import { fleetSettingsOf } from "./fleet-config";
import { NAMESPACE, ROLES, awsCluster, exampleFor, gcpCluster, topLevel } from "./config-schema";

export { NAMESPACE, ROLES, StackConfigError };
export type Role = (typeof ROLES)[number];

/** Outside production, capacity sleeps outside these hours unless `paved:schedule` says otherwise. */
export const DEFAULT_SCHEDULE: ScheduleArgs = { timeZone: "UTC", days: "Mon-Fri", start: "07:00", end: "20:00" };

/** A warm standby's spot pools keep this many nodes unless `failover.warmFloor` says otherwise. */
export const WARM_FLOOR = 1;

/** A pool of a warm standby: at most `floor` nodes to start from and to keep; its maximum unchanged, so load can still grow it. */
function warmPool<P extends { minSize?: number; nodes?: number }>(pool: P, floor: number): P {
    return { ...pool, minSize: Math.min(pool.minSize ?? 0, floor), nodes: Math.min(pool.nodes ?? pool.minSize ?? 0, floor) };
}

/** A spot pool as the stack declares it. */
export type StackNodePool = SpotPoolArgs & { readonly name: string };

interface StackConfigBase {
    readonly stack: string;
    readonly role: Role;
    readonly environment: string;
    readonly production: boolean;
    readonly region: string;
    readonly domain: string;
    readonly tags: CostTags;
    /** The environment's on-hours; undefined: always on (production's default). */
    readonly schedule?: ScheduleArgs;
    readonly nodePools: readonly StackNodePool[];
    /** An early wake for this one run (`paved wake`): every pool and scheduled workload up until its end. */
    readonly wake?: WakeWindow;
    /** Workloads KEDA scales to zero outside the environment's on-hours. */
    readonly scaleToZero: readonly ScheduledWorkload[];
    readonly cost: CostOptions;
    /** Vault wiring, when the environment uses it. */
    readonly vault?: StackVault;
    /** The observability stack, when the environment has one (it needs Vault for Grafana's login). */
    readonly observability?: {
        readonly sizing: Partial<ObservabilitySizing>;
        readonly slos: readonly SloSpec[];
        /** Share of traces the environment keeps: every one outside production, one in ten in production, unless set. */
        readonly traceSampling: number;
    };
    /** Argo CD's root app of apps (and with it Argo Rollouts and Envoy Gateway). */
    readonly gitops?: GitSource & { readonly sso?: { readonly issuer: string; readonly clientId: string } };
    /** Apps released as canaries. */
    readonly canaries: readonly CanarySpec[];
    /**
     * The stack's part in multi-region failover. A standby that is not promoted runs warm: its spot
     * pools at `warmFloor` nodes; promoted, it runs the capacity its file declares (the primary's).
     */
    readonly failover?: { readonly role: "primary" | "standby"; readonly promoted: boolean; readonly warmFloor: number };
    /** One Argo CD Application per open pull request. */
    readonly prEnvironments?: { readonly source: GitSource; readonly github: { readonly owner: string; readonly repo: string }; readonly managedZone: string };
    /** This cluster manages the fleet: the Pulumi Kubernetes Operator and the Stack objects' Application. */
    readonly fleet?: FleetSettings;
}

export interface StackVault {
    readonly address: string;
    readonly kv: { readonly path: string; readonly create: boolean };
    readonly apps: readonly VaultAppSpec[];
}

/** Names a cluster in Vault (its auth mount): unique per environment and region. */
export function clusterKeyOf(config: { environment: string; region: string }): string {
    return `${config.environment}-${config.region}`;
}
export type StackConfig = StackConfigBase &
    (
        | { readonly cloud: "aws"; readonly cluster: EksClusterArgs }
        | { readonly cloud: "gcp"; readonly gcpProject: string; readonly cluster: GkeClusterArgs }
    );

/** The cluster component's name, and so its default cloud name: one per stack. */
export function clusterNameOf(stack: string): string {
    return `paved-${stack}`;
}

/** A regional GKE cluster spreads each node pool over this many zones. */
const GKE_ZONES = 3;

/** What the cost report prices: the system pool (its own hours and capacity), then every spot pool. */
export function costInputs(config: StackConfig): PoolCostInput[] {
    const system =
        config.cloud === "aws"
            ? { ...resolveEksClusterArgs(clusterNameOf(config.stack), config.cluster).systemPool, zones: 1 }
            : { ...resolveGkeClusterArgs(config.cluster).systemPool, zones: GKE_ZONES };
    return [
        { pool: "system", instanceType: system.instanceTypes[0], nodes: system.minSize * system.zones, spot: system.spot, onHoursPerWeek: systemPoolSchedule(system, config.cloud)?.onHoursPerWeek },
        ...config.nodePools.map((p) => spotPoolCostInput(p.name, resolveSpotPoolArgs(p, config.cloud, "nodePools"))),
    ];
}

export interface LoadOptions {
    /** The stack's name, e.g. "dev". */
    readonly stack: string;
    /** Keys (`paved:x`) whose values are secret and so never appear in an error. */
    readonly isSecret?: (key: string) => boolean;
}

/** Where a cluster component's argument comes from in stack config. */
function clusterConfigPath(argPath: string): string {
    const direct: Record<string, string> = {
        "tags.environment": "environment",
        "tags.owner": "owner",
        "tags.costCenter": "costCenter",
        // The environment's on-hours, as the system pool's opened early: the problem is the schedule's.
        "systemPool.schedule.startCron": "schedule.startCron",
        "systemPool.schedule.endCron": "schedule.endCron",
        project: "gcpProject",
        region: "region",
    };
    if (direct[argPath]) return direct[argPath];
    if (argPath.startsWith("tags.extra.")) return `tags.${argPath.slice("tags.extra.".length)}`;
    return `cluster.${argPath}`;
}

/**
 * Reads and validates every `paved:*` setting at once into one typed object. Throws one
 * `StackConfigError` listing every bad key, its value, the reason and a valid example,
 * before any resource exists.
 */
export function loadStackConfig(allConfig: Readonly<Record<string, string>>, options: LoadOptions): StackConfig {
    const raw = pavedConfig(allConfig);
    const problems = new ConfigProblems(`Pulumi.${options.stack}.yaml`, options.isSecret, raw);
    const cloud = raw.cloud === "aws" || raw.cloud === "gcp" ? raw.cloud : undefined;

    // 1. Shape: every key of the right type, no unknown keys; the cloud's own rules on the values as written.
    // Nothing is thrown yet: the rules about meaning below run on every key that has the right shape,
    // so one pass lists every problem.
    const top = parseLenient(topLevel, raw);
    problems.addZod(top.issues, "", cloud, "regional");
    // Each cloud's cluster keys (their `network` differs): read through the schema of the stack's cloud.
    const clusterSchema: z.ZodType<z.infer<typeof awsCluster> | z.infer<typeof gcpCluster>> = cloud === "gcp" ? gcpCluster : awsCluster;
    const cluster = cloud && raw.cluster && typeof raw.cluster === "object" ? parseLenient(clusterSchema, raw.cluster) : undefined;
    if (cluster) problems.addZod(cluster.issues, "cluster", cloud, "regional");
    checkCloudRules(problems, raw, raw.production === true || (raw.production === undefined && raw.environment === "prod"));
    if (cloud === "gcp" && raw.gcpProject === undefined) problems.add("gcpProject", `missing: a GCP stack must name its project; e.g. ${exampleFor("gcpProject")}`);
    if (cloud === "aws" && raw.gcpProject !== undefined) problems.add("gcpProject", `got ${show(raw.gcpProject)} on an AWS stack: remove it, or set paved:cloud: gcp`);
    if (top.data && top.data.role !== "regional") problems.add("role", `got "${top.data.role}": this loader reads regional stacks; a ${top.data.role} stack is read by its own loader`);
    if (cloud && top.data?.role === "regional" && raw.cluster === undefined) problems.add("cluster", `missing: a regional stack needs its cluster settings, e.g. ${exampleFor("cluster")}`);
    if (!top.data) {
        problems.throwIfAny();
        throw new StackConfigError(`Pulumi.${options.stack}.yaml`, problems.list);
    }

    // 2. Meaning: the components' own rules, reported against the config keys they came from.
    const c = top.data;
    const production = c.production ?? c.environment === "prod";
    const tags = tagsOf(c);
    const envSchedule = c.schedule === "none" ? undefined : (c.schedule as ScheduleArgs | undefined) ?? (production ? undefined : DEFAULT_SCHEDULE);
    const scheduleFound = c.schedule && c.schedule !== "none" ? scheduleProblems(c.schedule as ScheduleArgs, "schedule").list : [];
    problems.addAll(scheduleFound, (p) => p);
    // An early wake (`paved wake`) only makes sense where capacity sleeps.
    const wakeFound = c.wake ? wakeProblems(c.wake, "wake").list : [];
    problems.addAll(wakeFound, (p) => p);
    if (c.wake && !envSchedule) problems.add("wake", `got ${show(c.wake)} but ${production ? "production never sleeps" : "the environment has no schedule"}, so there is nothing to wake; remove it`);
    const wake = c.wake && wakeFound.length === 0 && envSchedule ? c.wake : undefined;

    const failover = c.failover && { role: c.failover.role, promoted: c.failover.promoted ?? false, warmFloor: c.failover.warmFloor ?? WARM_FLOOR };
    if (failover?.role === "primary" && c.failover?.promoted !== undefined) problems.add("failover.promoted", `got ${show(c.failover.promoted)}: only a standby is promoted; remove it, or set failover.role: standby`);
    if (failover && !(c.vault && c.gitops)) problems.add("failover", `needs paved:gitops and paved:vault: failover health checks probe the health endpoint over HTTPS, through the Gateway's certificate from Vault; e.g. ${exampleFor("gitops")}`);
    const warm = failover?.role === "standby" && !failover.promoted;
    const nodePools: StackNodePool[] = (c.nodePools ?? []).map((declared, i) => {
        const p = warm ? warmPool(declared, failover.warmFloor) : declared;
        const own = p.schedule === "none" ? undefined : (p.schedule as ScheduleArgs | undefined);
        const poolSchedule = p.schedule === "none" ? undefined : own ?? envSchedule;
        const pool: StackNodePool = { ...p, tags, critical: p.critical ?? production, schedule: poolSchedule, ...(poolSchedule && wake ? { wake } : {}) };
        // The environment's schedule and tags are reported once, under their own keys.
        const found = spotPoolProblems({ ...pool, schedule: own }, cloud!).list.filter((x) => !x.propertyPath.startsWith("tags."));
        problems.addAll(found, (path) => `nodePools[${i}].${path}`);
        if ((c.nodePools ?? []).findIndex((q) => q.name === p.name) !== i) problems.add(`nodePools[${i}].name`, `got ${show(p.name)} twice: pool names must be unique, e.g. "apps" and "batch"`);
        return pool;
    });

    const scaleToZero = c.scaleToZero ?? [];
    if (scaleToZero.length > 0 && !envSchedule) {
        problems.add("scaleToZero", `got ${scaleToZero.length} workload(s) but the environment has no schedule to scale them by; set paved:schedule, e.g. ${exampleFor("schedule")}`);
    }
    problems.addAll(
        workloadScheduleProblems({ schedule: envSchedule ?? DEFAULT_SCHEDULE, workloads: scaleToZero }).list.filter((p) => !p.propertyPath.startsWith("schedule")),
        (path) => path.replace(/^workloads/, "scaleToZero"),
    );

    let vaultConfig: StackVault | undefined;
    if (c.vault) {
        vaultConfig = { address: c.vault.address, kv: { path: c.vault.kvMount ?? "secret", create: c.vault.createKvMount ?? false }, apps: c.vault.apps as unknown as VaultAppSpec[] };
        const vaultPath: Record<string, string> = { vaultAddress: "vault.address", "kv.path": "vault.kvMount", apps: "vault.apps" };
        // The platform's own Vault consumers (Grafana, Argo CD) join the user's apps.
        const apps = [...vaultConfig.apps, ...platformVaultApps(c)];
        problems.addAll(
            vaultSecretsProblems({ clusterKey: clusterKeyOf(c), environment: c.environment, vaultAddress: vaultConfig.address, kv: vaultConfig.kv, apps }).list,
            (path) => vaultPath[path] ?? `vault.${path}`,
        );
    }

    let observability: StackConfigBase["observability"];
    if (c.observability) {
        observability = {
            sizing: (c.observability.sizing ?? {}),
            slos: (c.observability.slos ?? []) as unknown as SloSpec[],
            traceSampling: c.observability.traceSampling ?? defaultTraceSampling(production),
        };
        problems.addAll(observabilityProblems({ tags, production, grafanaAdmin: GRAFANA_ADMIN, ...observability }).list, (path) => `observability.${path}`);
        if (!vaultConfig) problems.add("observability", `needs paved:vault: Grafana's admin login is synced from Vault, never set in config; add paved:vault, e.g. ${exampleFor("vault")}`);
    }

    let gitops: StackConfigBase["gitops"];
    if (c.gitops) {
        const { repoUrl, path, revision, sso } = c.gitops;
        gitops = { repoUrl, path, revision, sso };
        const fromSource: Record<string, string> = { "source.repoUrl": "gitops.repoUrl", "source.path": "gitops.path", "source.revision": "gitops.revision" };
        problems.addAll(gitOpsProblems({ source: gitops, sso: sso && { ...sso, clientSecretRef: ARGOCD_SSO_SECRET } }).list, (p) => fromSource[p] ?? `gitops.${p}`);
        if (!vaultConfig) problems.add("gitops", `needs paved:vault: Argo CD's repository credentials are synced from Vault; add paved:vault, e.g. ${exampleFor("vault")}`);
        if (!observability) problems.add("gitops", `needs paved:observability: canary analysis reads its Prometheus; add paved:observability, e.g. {}`);
    }
    const canaries = (c.delivery?.canaries ?? []) as unknown as CanarySpec[];
    canaries.forEach((canary, i) => problems.addAll(canaryProblems(canary, `delivery.canaries[${i}]`).list, (p) => p));
    if (canaries.length > 0 && !gitops) problems.add("delivery", `needs paved:gitops: canaries run on the Argo Rollouts it installs; e.g. ${exampleFor("gitops")}`);
    let prEnvironments: StackConfigBase["prEnvironments"];
    if (c.prEnvironments) {
        const p = c.prEnvironments;
        prEnvironments = { source: { repoUrl: p.repoUrl, path: p.path }, github: p.github, managedZone: p.managedZone ?? c.domain.replace(/\./g, "-") };
        const dns = { cloud: "aws" as const };
        problems.addAll(
            prEnvironmentsProblems({ source: prEnvironments.source, github: { ...p.github, tokenSecret: ARGOCD_GITHUB_SECRET }, domain: c.domain, dns }).list,
            (path) => (path === "domain" ? "domain" : `prEnvironments.${path.replace(/^source\./, "")}`),
        );
        if (!gitops) problems.add("prEnvironments", `needs paved:gitops: PR environments are Argo CD Applications; e.g. ${exampleFor("gitops")}`);
    }

    const fleet = c.fleet && fleetSettingsOf(c.fleet, { reconciler: c.reconciler, gitops, vault: vaultConfig }, problems);

    const base = { stack: options.stack, role: c.role, environment: c.environment, production, region: c.region, domain: c.domain, tags, schedule: envSchedule, wake, nodePools, scaleToZero, failover, cost: c.cost ?? {}, vault: vaultConfig, observability, gitops, canaries, prEnvironments, fleet };
    if (!cluster?.data) {
        problems.throwIfAny();
        throw new StackConfigError(`Pulumi.${options.stack}.yaml`, problems.list);
    }
    // Outside production the system pool sleeps with the environment (a valid schedule only: a bad one is reported under its own key).
    const sleeps = !production && envSchedule && scheduleFound.length === 0;
    const systemPool = sleeps ? { ...cluster.data.systemPool, schedule: envSchedule, ...(wake ? { wake } : {}) } : cluster.data.systemPool;
    let config: StackConfig;
    if (c.cloud === "aws") {
        const args: EksClusterArgs = { ...(cluster.data as z.infer<typeof awsCluster>), tags, production, systemPool };
        problems.addAll(eksClusterProblems(resolveEksClusterArgs(clusterNameOf(options.stack), args)).list, clusterConfigPath);
        config = { ...base, cloud: "aws", cluster: args };
    } else {
        const gcpProject = c.gcpProject ?? "";
        const args: GkeClusterArgs = { ...(cluster.data as z.infer<typeof gcpCluster>), tags, production, project: gcpProject, region: c.region, systemPool };
        problems.addAll(gkeClusterProblems(resolveGkeClusterArgs(args)).list, clusterConfigPath);
        config = { ...base, cloud: "gcp", gcpProject, cluster: args };
    }
    if (!problems.hasAny) {
        // 3. The cost report must be computable: every priced instance type known.
        problems.addAll(costProblems(costInputs(config), config.cost).list, (path) =>
            path === "spotDiscount" ? "cost.spotDiscount" : path.replace(/^nodePools\[(\d+)\]/, (_, i: string) => (i === "0" ? "cluster.systemPool" : `nodePools[${Number(i) - 1}]`)),
        );
    }
    problems.throwIfAny();
    return config;
}
