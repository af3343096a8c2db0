/**
 * The cloud SDKs are optional peer dependencies: an AWS-only team has no @pulumi/gcp, a GCP-only
 * team no @pulumi/aws. Code shared by both clouds imports their types only (erased from the
 * JavaScript) and loads a cloud's SDK when it makes that cloud's first resource, so importing it
 * never requires the other cloud (the `paved` CLI, whose program composes both, included).
 */
import type * as Aws from "@pulumi/aws";
import type * as Gcp from "@pulumi/gcp";
import type * as AwsComponents from "./aws";
import type * as GcpComponents from "./gcp";

// A plain require is the synchronous, on-demand load a constructor needs (import() is a promise).
/* eslint-disable @typescript-eslint/no-require-imports */
export const awsSdk = (): typeof Aws => require("@pulumi/aws") as typeof Aws;
export const gcpSdk = (): typeof Gcp => require("@pulumi/gcp") as typeof Gcp;
/** The AWS components (and so @pulumi/aws), for programs that compose either cloud's. */
export const awsComponents = (): typeof AwsComponents => require("./aws") as typeof AwsComponents;
/** The GCP components (and so @pulumi/gcp), for programs that compose either cloud's. */
export const gcpComponents = (): typeof GcpComponents => require("./gcp") as typeof GcpComponents;
/* eslint-enable @typescript-eslint/no-require-imports */
