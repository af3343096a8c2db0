import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { EksCluster } from "../cluster/eks-cluster";
import { irsaTrustPolicy } from "../cluster/eks-iam";
import { GkeCluster, serviceAccountId } from "../cluster/gke-cluster";
import { CostTags, awsTags, gcpLabels } from "../tags";
import { TelemetryStorage } from "./chart-values";
import { durationHours } from "../validation";

export interface TelemetryBucketsArgs {
    readonly cluster: EksCluster | GkeCluster;
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

type Store = "loki" | "tempo";
const STORES: readonly Store[] = ["loki", "tempo"];

/** Days an object lives: the retention, plus one day for compaction to finish with it. */
export function lifecycleDays(retention: string): number {
    return Math.ceil(durationHours(retention) / 24) + 1;
}

/** The S3 rights Loki and Tempo need on their own bucket, and nothing else. */
export function bucketAccessPolicy(bucketArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: ["s3:ListBucket"], Resource: bucketArn },
            { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `${bucketArn}/*` },
        ],
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

    private onAws(name: string, args: TelemetryBucketsArgs, cluster: EksCluster): pulumi.Output<TelemetryStorage> {
        const child = { parent: this };
        const tags = awsTags(args.tags);
        const made = STORES.map((store) => {
            const bucket = new aws.s3.Bucket(`${name}-${store}`, { forceDestroy: !args.production, tags }, child);
            new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-${store}`, {
                bucket: bucket.id,
                rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }],
            }, child);
            new aws.s3.BucketPublicAccessBlock(`${name}-${store}`, {
                bucket: bucket.id,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            }, child);
            new aws.s3.BucketOwnershipControls(`${name}-${store}`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);
            new aws.s3.BucketLifecycleConfiguration(`${name}-${store}`, {
                bucket: bucket.id,
                rules: [{
                    id: "expire-after-retention",
                    status: "Enabled",
                    filter: {},
                    expiration: { days: lifecycleDays(args.retention[store]) },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                }],
            }, child);
            const role = new aws.iam.Role(`${name}-${store}`, {
                assumeRolePolicy: pulumi.all([cluster.oidcProviderArn, cluster.oidcIssuerUrl]).apply(([arn, issuer]) => irsaTrustPolicy(arn, issuer, args.namespace, store)),
                tags,
            }, child);
            new aws.iam.RolePolicy(`${name}-${store}`, { role: role.name, policy: bucket.arn.apply(bucketAccessPolicy) }, child);
            return { bucket, role };
        });
        const [loki, tempo] = made;
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

    private onGcp(name: string, args: TelemetryBucketsArgs, cluster: GkeCluster): pulumi.Output<TelemetryStorage> {
        const child = { parent: this };
        const made = STORES.map((store) => {
            const bucket = new gcp.storage.Bucket(`${name}-${store}`, {
                project: cluster.project,
                location: cluster.region,
                uniformBucketLevelAccess: true,
                publicAccessPrevention: "enforced",
                lifecycleRules: [{ action: { type: "Delete" }, condition: { age: lifecycleDays(args.retention[store]) } }],
                forceDestroy: !args.production,
                labels: gcpLabels(args.tags),
            }, child);
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
