/**
 * The cloud SDKs are optional peer dependencies: an AWS-only team has no @pulumi/gcp, a GCP-only
 * team no @pulumi/aws. Code shared by both clouds imports their types only (erased from the
 * JavaScript) and loads a cloud's SDK when it makes that cloud's first resource, so importing it
 * never requires the other cloud (the `paved` CLI, whose program composes both, included).
 */
import type * as awsEc2 from "@pulumi/aws/ec2";
import type { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import type * as awsIam from "@pulumi/aws/iam";
import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import type * as awsRoute53 from "@pulumi/aws/route53";
import type * as awsS3 from "@pulumi/aws/s3";
import type * as gcpDns from "@pulumi/gcp/dns";
import type { Provider as GcpProvider } from "@pulumi/gcp/provider";
import type * as gcpServiceaccount from "@pulumi/gcp/serviceaccount";
import type * as gcpStorage from "@pulumi/gcp/storage";
import type * as AwsComponents from "./aws";
import type * as GcpComponents from "./gcp";

// What shared code uses of each SDK, typed from the services' own modules: a type import of the
// package root makes the type-check parse every service (about 30 MB of declarations per cloud).
/** The part of @pulumi/aws that code shared by both clouds uses. */
export interface AwsSdk {
    readonly Provider: typeof AwsProvider;
    readonly ec2: typeof awsEc2;
    readonly iam: typeof awsIam;
    readonly route53: typeof awsRoute53;
    readonly s3: typeof awsS3;
    readonly getCallerIdentityOutput: typeof getCallerIdentityOutput;
}
/** The part of @pulumi/gcp that code shared by both clouds uses. */
export interface GcpSdk {
    readonly Provider: typeof GcpProvider;
    readonly dns: typeof gcpDns;
    readonly serviceaccount: typeof gcpServiceaccount;
    readonly storage: typeof gcpStorage;
}

// A plain require is the synchronous, on-demand load a constructor needs (import() is a promise).
// TypeScript does not resolve it, so the root stays out of the type-check.
/* eslint-disable @typescript-eslint/no-require-imports */
export const awsSdk = (): AwsSdk => require("@pulumi/aws") as AwsSdk;
export const gcpSdk = (): GcpSdk => require("@pulumi/gcp") as GcpSdk;
/** The AWS components (and so @pulumi/aws), for programs that compose either cloud's. */
export const awsComponents = (): typeof AwsComponents => require("./aws") as typeof AwsComponents;
/** The GCP components (and so @pulumi/gcp), for programs that compose either cloud's. */
export const gcpComponents = (): typeof GcpComponents => require("./gcp") as typeof GcpComponents;
/* eslint-enable @typescript-eslint/no-require-imports */
