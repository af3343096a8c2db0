/**
 * The regions each cloud offers and how many zones a new account gets there, shipped so a typo in
 * `paved:region` (or a region of the other cloud) is refused before anything is created.
 *
 * Source, as the clouds' pages listed them when collected (2026-02; not re-checked from the build
 * machines, which have no internet; a region launched later is missing here until added):
 * - AWS: "AWS Regions" in the AWS General Reference
 *   (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html) and each
 *   Region's Availability Zone count on https://aws.amazon.com/about-aws/global-infrastructure/regions_az/.
 *   Opt-in Regions are included (an account enables them first); China and GovCloud partitions too.
 * - GCP: "Available regions and zones" (https://cloud.google.com/compute/docs/regions-zones).
 */
export const REGION_SOURCE = {
    collected: "2026-02",
    aws: "https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html",
    gcp: "https://cloud.google.com/compute/docs/regions-zones",
} as const;

/** AWS Region code → Availability Zones a new account can use. */
export const AWS_REGIONS: Readonly<Record<string, number>> = {
    "us-east-1": 6,
    "us-east-2": 3,
    "us-west-1": 2,
    "us-west-2": 4,
    "af-south-1": 3,
    "ap-east-1": 3,
    "ap-east-2": 3,
    "ap-south-1": 3,
    "ap-south-2": 3,
    "ap-southeast-1": 3,
    "ap-southeast-2": 3,
    "ap-southeast-3": 3,
    "ap-southeast-4": 3,
    "ap-southeast-5": 3,
    "ap-southeast-7": 3,
    "ap-northeast-1": 3,
    "ap-northeast-2": 4,
    "ap-northeast-3": 3,
    "ca-central-1": 3,
    "ca-west-1": 3,
    "eu-central-1": 3,
    "eu-central-2": 3,
    "eu-west-1": 3,
    "eu-west-2": 3,
    "eu-west-3": 3,
    "eu-south-1": 3,
    "eu-south-2": 3,
    "eu-north-1": 3,
    "il-central-1": 3,
    "me-south-1": 3,
    "me-central-1": 3,
    "mx-central-1": 3,
    "sa-east-1": 3,
    "us-gov-east-1": 3,
    "us-gov-west-1": 3,
    "cn-north-1": 3,
    "cn-northwest-1": 3,
};

/** GCP region → zones. A regional GKE cluster spreads its pools over three of them. */
export const GCP_REGIONS: Readonly<Record<string, number>> = {
    "africa-south1": 3,
    "asia-east1": 3,
    "asia-east2": 3,
    "asia-northeast1": 3,
    "asia-northeast2": 3,
    "asia-northeast3": 3,
    "asia-south1": 3,
    "asia-south2": 3,
    "asia-southeast1": 3,
    "asia-southeast2": 3,
    "australia-southeast1": 3,
    "australia-southeast2": 3,
    "europe-central2": 3,
    "europe-north1": 3,
    "europe-north2": 3,
    "europe-southwest1": 3,
    "europe-west1": 3,
    "europe-west2": 3,
    "europe-west3": 3,
    "europe-west4": 3,
    "europe-west6": 3,
    "europe-west8": 3,
    "europe-west9": 3,
    "europe-west10": 3,
    "europe-west12": 3,
    "me-central1": 3,
    "me-central2": 3,
    "me-west1": 3,
    "northamerica-northeast1": 3,
    "northamerica-northeast2": 3,
    "northamerica-south1": 3,
    "southamerica-east1": 3,
    "southamerica-west1": 3,
    "us-central1": 4,
    "us-east1": 3,
    "us-east4": 3,
    "us-east5": 3,
    "us-south1": 3,
    "us-west1": 3,
    "us-west2": 3,
    "us-west3": 3,
    "us-west4": 3,
};

export type Cloud = "aws" | "gcp";

export function regionsOf(cloud: Cloud): Readonly<Record<string, number>> {
    return cloud === "aws" ? AWS_REGIONS : GCP_REGIONS;
}

/** The cloud whose region list has this name, if any (to say "that is a GCP region"). */
export function cloudOfRegion(region: string): Cloud | undefined {
    return region in AWS_REGIONS ? "aws" : region in GCP_REGIONS ? "gcp" : undefined;
}
