/**
 * `paved-road/aws`: the cloud-neutral components and the AWS ones. It never loads @pulumi/gcp, and
 * its declarations never mention it, so an AWS-only team installs no GCP SDK.
 */
export * from "./common";
export * from "./components/aws";
