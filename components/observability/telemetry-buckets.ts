import type * as s3 from "@pulumi/aws/s3";
import type * as storage from "@pulumi/gcp/storage";
import * as pulumi from "@pulumi/pulumi";
import { irsaTrustPolicy } from "../cluster/eks-iam";
import { serviceAccountId } from "../cluster/gke-names";
import { KubernetesCluster } from "../cluster/kubernetes-cluster";
import { awsSdk, gcpSdk } from "../cloud-sdk";
import { CostTags, awsTags, gcpLabels } from "../tags";
import { TelemetryStorage } from "./chart-values";
import { durationHours } from "../validation";

/** What the buckets need of an EKS cluster (an `EksCluster` has it): its IAM OIDC provider, for the stores' roles, and its region. */
export interface EksStorageCluster extends KubernetesCluster {
    readonly cloud: "aws";
    readonly oidcProviderArn: pulumi.Output<string>;
    readonly oidcIssuerUrl: pulumi.Output<string>;
    readonly region: pulumi.Output<string>;
}

/** What the buckets need of a GKE cluster (a `GkeCluster` has it): its project, region and Workload Identity pool. */
export interface GkeStorageCluster extends KubernetesCluster {
    readonly cloud: "gcp";
    readonly project: string;
    readonly region: string;
    readonly workloadPool: string;
}

/** A cluster that can keep telemetry in its cloud's object storage: `EksCluster` or `GkeCluster`. */
export type StorageCluster = EksStorageCluster | GkeStorageCluster;

export interface TelemetryBucketsArgs {
    readonly cluster: StorageCluster;
    readonly tags: CostTags;
    /** Namespace of the Loki and Tempo ServiceAccounts. */
    readonly namespace: string;
    /** Retention per store, Prometheus durations, e.g. { loki: "30d", tempo: "14d" }. */
    readonly retention: { readonly loki: string; readonly tempo: string };
    /**
     * Keep data when the stack is destroyed.
     * @default false: non-production buckets are emptied on destroy
     */
    readonly production?: boolean;
}

export type Store = "loki" | "tempo";
const STORES: readonly Store[] = ["loki", "tempo"];

/** Days an object lives: the retention, plus one day for compaction to finish with it. */
export function lifecycleDays(retention: string): number {
    return Math.ceil(durationHours(retention) / 24) + 1;
}

/**
 * The S3 rights a store needs on its own bucket, and nothing else. Tempo also tags objects: its
 * "Amazon S3 permissions" page (grafana.com/docs/tempo/latest/configuration/hosted-storage/s3/)
 * lists s3:GetObjectTagging and s3:PutObjectTagging in the minimal policy.
 */
export function bucketAccessPolicy(bucketArn: string, store: Store = "loki"): string {
    const objectActions = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", ...(store === "tempo" ? ["s3:GetObjectTagging", "s3:PutObjectTagging"] : [])];
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: ["s3:ListBucket"], Resource: bucketArn },
            { Effect: "Allow", Action: objectActions, Resource: `${bucketArn}/*` },
        ],
    });
}

/** Days server access logs are kept: a year in production (audits look back), a month elsewhere. */
export const accessLogDays = (production: boolean): number => (production ? 365 : 30);

/**
 * The log bucket's policy: only S3's log delivery service may write, only server access logs of
 * the given source buckets of this account (S3 User Guide, "Enabling Amazon S3 server access
 * logging": grant logging.s3.amazonaws.com s3:PutObject with aws:SourceArn and aws:SourceAccount).
 */
export function accessLogBucketPolicy(logBucketArn: string, sourceBucketArns: readonly string[], accountId: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{
            Sid: "S3ServerAccessLogsPolicy",
            Effect: "Allow",
            Principal: { Service: "logging.s3.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `${logBucketArn}/*`,
            Condition: { ArnLike: { "aws:SourceArn": [...sourceBucketArns] }, StringEquals: { "aws:SourceAccount": accountId } },
        }],
    });
}

/**
 * Object storage for logs and traces, per cloud: one bucket per store, encrypted, never public,
 * expiring objects after the retention, reachable only by that store's ServiceAccount through its
 * cloud identity (IRSA on EKS, Workload Identity on GKE).
 */
export class TelemetryBuckets extends pulumi.ComponentResource {
    public readonly storage: pulumi.Output<TelemetryStorage>;

    constructor(name: string, args: TelemetryBucketsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("paved:observability:TelemetryBuckets", name, {}, opts);
        this.storage = args.cluster.cloud === "aws" ? this.onAws(name, args, args.cluster) : this.onGcp(name, args, args.cluster);
        this.registerOutputs({ storage: this.storage });
    }

    private onAws(name: string, args: TelemetryBucketsArgs, cluster: EksStorageCluster): pulumi.Output<TelemetryStorage> {
        const aws = awsSdk();
        const child = { parent: this };
        const tags = awsTags(args.tags);
        // Server access logs of both stores go to their own bucket, private, encrypted and expiring on its own schedule.
        const logs = this.awsBucket(`${name}-access-logs`, {
            production: args.production ?? false,
            tags,
            // SSE-S3: log delivery cannot use the AWS-managed aws/s3 KMS key (S3 User Guide, "Enabling Amazon S3 server access logging").
            sseAlgorithm: "AES256",
            expireDays: accessLogDays(args.production ?? false),
        });
        const made = STORES.map((store) => {
            const bucket = this.awsBucket(`${name}-${store}`, {
                production: args.production ?? false,
                tags,
                sseAlgorithm: "aws:kms",
                expireDays: lifecycleDays(args.retention[store]),
            });
            new aws.s3.BucketLogging(`${name}-${store}`, {
                bucket: bucket.id,
                targetBucket: logs.id,
                targetPrefix: `${store}/`,
            }, child);
            const role = new aws.iam.Role(`${name}-${store}`, {
                assumeRolePolicy: pulumi.all([cluster.oidcProviderArn, cluster.oidcIssuerUrl]).apply(([arn, issuer]) => irsaTrustPolicy(arn, issuer, args.namespace, store)),
                tags,
            }, child);
            new aws.iam.RolePolicy(`${name}-${store}`, { role: role.name, policy: bucket.arn.apply((arn) => bucketAccessPolicy(arn, store)) }, child);
            return { bucket, role };
        });
        const [loki, tempo] = made;
        const accountId = aws.getCallerIdentityOutput({}, child).accountId;
        new aws.s3.BucketPolicy(`${name}-access-logs`, {
            bucket: logs.id,
            policy: pulumi.all([logs.arn, loki.bucket.arn, tempo.bucket.arn, accountId]).apply(([arn, l, t, account]) => accessLogBucketPolicy(arn, [l, t], account)),
        }, child);
        return pulumi.all([cluster.region, loki.bucket.bucket, tempo.bucket.bucket, loki.role.arn, tempo.role.arn]).apply(
            ([region, lokiBucket, tempoBucket, lokiRole, tempoRole]): TelemetryStorage => ({
                cloud: "aws" as const,
                region,
                lokiBucket,
                tempoBucket,
                lokiServiceAccountAnnotations: { "eks.amazonaws.com/role-arn": lokiRole },
                tempoServiceAccountAnnotations: { "eks.amazonaws.com/role-arn": tempoRole },
            }),
        );
    }

    /** A private bucket: encryption by default, public access blocked, owner-enforced objects, and objects expiring. */
    private awsBucket(name: string, a: { production: boolean; tags: Record<string, string>; sseAlgorithm: "aws:kms" | "AES256"; expireDays: number }): s3.Bucket {
        const aws = awsSdk();
        const child = { parent: this };
        const bucket = new aws.s3.Bucket(name, { forceDestroy: !a.production, tags: a.tags }, child);
        new aws.s3.BucketServerSideEncryptionConfiguration(name, {
            bucket: bucket.id,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: a.sseAlgorithm }, bucketKeyEnabled: a.sseAlgorithm === "aws:kms" }],
        }, child);
        new aws.s3.BucketPublicAccessBlock(name, {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }, child);
        new aws.s3.BucketOwnershipControls(name, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);
        new aws.s3.BucketLifecycleConfiguration(name, {
            bucket: bucket.id,
            rules: [{
                id: "expire-after-retention",
                status: "Enabled",
                filter: {},
                expiration: { days: a.expireDays },
                abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
            }],
        }, child);
        return bucket;
    }

    private onGcp(name: string, args: TelemetryBucketsArgs, cluster: GkeStorageCluster): pulumi.Output<TelemetryStorage> {
        const gcp = gcpSdk();
        const child = { parent: this };
        const gcsBucket = (bucketName: string, days: number, logging?: { readonly to: storage.Bucket; readonly prefix: string; readonly after: pulumi.Resource }) => new gcp.storage.Bucket(bucketName, {
            project: cluster.project,
            location: cluster.region,
            uniformBucketLevelAccess: true,
            publicAccessPrevention: "enforced",
            lifecycleRules: [{ action: { type: "Delete" }, condition: { age: days } }],
            forceDestroy: !args.production,
            labels: gcpLabels(args.tags),
            logging: logging && { logBucket: logging.to.name, logObjectPrefix: logging.prefix },
        }, { ...child, dependsOn: logging ? [logging.after] : [] }); // the log bucket accepts its writer before logging is on
        // Usage logs of both stores go to their own bucket with its own lifecycle; Cloud Storage writes them as
        // cloud-storage-analytics@google.com, which needs object create on it (Cloud Storage docs, "Usage logs & storage logs").
        const logs = gcsBucket(`${name}-access-logs`, accessLogDays(args.production ?? false));
        const logWriter = new gcp.storage.BucketIAMMember(`${name}-access-logs-writer`, {
            bucket: logs.name,
            role: "roles/storage.objectCreator",
            member: "group:cloud-storage-analytics@google.com",
        }, child);
        const made = STORES.map((store) => {
            const bucket = gcsBucket(`${name}-${store}`, lifecycleDays(args.retention[store]), { to: logs, prefix: store, after: logWriter });
            const account = new gcp.serviceaccount.Account(`${name}-${store}`, {
                project: cluster.project,
                accountId: serviceAccountId(`${name}-${store}`),
                displayName: `${store} object storage (${name})`,
            }, child);
            new gcp.storage.BucketIAMMember(`${name}-${store}`, {
                bucket: bucket.name,
                role: "roles/storage.objectAdmin",
                member: pulumi.interpolate`serviceAccount:${account.email}`,
            }, child);
            new gcp.serviceaccount.IAMMember(`${name}-${store}`, {
                serviceAccountId: account.name,
                role: "roles/iam.workloadIdentityUser",
                member: `serviceAccount:${cluster.workloadPool}[${args.namespace}/${store}]`,
            }, child);
            return { bucket, account };
        });
        const [loki, tempo] = made;
        return pulumi.all([loki.bucket.name, tempo.bucket.name, loki.account.email, tempo.account.email]).apply(
            ([lokiBucket, tempoBucket, lokiEmail, tempoEmail]): TelemetryStorage => ({
                cloud: "gcp" as const,
                lokiBucket,
                tempoBucket,
                lokiServiceAccountAnnotations: { "iam.gke.io/gcp-service-account": lokiEmail },
                tempoServiceAccountAnnotations: { "iam.gke.io/gcp-service-account": tempoEmail },
            }),
        );
    }
}
