/**
 * On-demand list prices per instance hour, shipped so the cost report works offline: Linux
 * on-demand list prices for AWS us-east-1 and GCP us-central1 as the clouds' pricing pages showed
 * them in 2025. They were not re-checked from the build machines (no internet there), other
 * regions differ by a few percent, and prices change: override them (`CostOptions.prices`) for
 * decisions that matter.
 */
export const PRICE_SOURCE = {
    collected: "2025",
    aws: "AWS EC2 On-Demand pricing, US East (N. Virginia), Linux",
    gcp: "Google Compute Engine VM instance pricing, us-central1 (Iowa), on-demand",
    currency: "USD",
} as const;

export interface InstanceShape {
    readonly vcpu: number;
    readonly memoryGiB: number;
    /** On-demand USD per hour. */
    readonly onDemandPerHour: number;
}

export const INSTANCE_PRICES: Readonly<Record<string, InstanceShape>> = {
    // AWS, general purpose (4 GiB per vCPU)
    "m5.large": { vcpu: 2, memoryGiB: 8, onDemandPerHour: 0.096 },
    "m5a.large": { vcpu: 2, memoryGiB: 8, onDemandPerHour: 0.086 },
    "m6i.large": { vcpu: 2, memoryGiB: 8, onDemandPerHour: 0.096 },
    "m6a.large": { vcpu: 2, memoryGiB: 8, onDemandPerHour: 0.0864 },
    "m7i.large": { vcpu: 2, memoryGiB: 8, onDemandPerHour: 0.1008 },
    "m7a.large": { vcpu: 2, memoryGiB: 8, onDemandPerHour: 0.11592 },
    "m5.xlarge": { vcpu: 4, memoryGiB: 16, onDemandPerHour: 0.192 },
    "m6i.xlarge": { vcpu: 4, memoryGiB: 16, onDemandPerHour: 0.192 },
    "m6a.xlarge": { vcpu: 4, memoryGiB: 16, onDemandPerHour: 0.1728 },
    "m7i.xlarge": { vcpu: 4, memoryGiB: 16, onDemandPerHour: 0.2016 },
    "m6i.2xlarge": { vcpu: 8, memoryGiB: 32, onDemandPerHour: 0.384 },
    "m6a.2xlarge": { vcpu: 8, memoryGiB: 32, onDemandPerHour: 0.3456 },
    "m7i.2xlarge": { vcpu: 8, memoryGiB: 32, onDemandPerHour: 0.4032 },
    // AWS, compute optimised (2 GiB per vCPU)
    "c6i.large": { vcpu: 2, memoryGiB: 4, onDemandPerHour: 0.085 },
    "c6a.large": { vcpu: 2, memoryGiB: 4, onDemandPerHour: 0.0765 },
    "c7i.large": { vcpu: 2, memoryGiB: 4, onDemandPerHour: 0.08925 },
    "c6i.xlarge": { vcpu: 4, memoryGiB: 8, onDemandPerHour: 0.17 },
    "c6a.xlarge": { vcpu: 4, memoryGiB: 8, onDemandPerHour: 0.153 },
    "c7i.xlarge": { vcpu: 4, memoryGiB: 8, onDemandPerHour: 0.1785 },
    // AWS, memory optimised (8 GiB per vCPU)
    "r6i.large": { vcpu: 2, memoryGiB: 16, onDemandPerHour: 0.126 },
    "r6a.large": { vcpu: 2, memoryGiB: 16, onDemandPerHour: 0.1134 },
    "r7i.large": { vcpu: 2, memoryGiB: 16, onDemandPerHour: 0.1323 },
    // GCP
    "e2-standard-2": { vcpu: 2, memoryGiB: 8, onDemandPerHour: 0.067006 },
    "e2-standard-4": { vcpu: 4, memoryGiB: 16, onDemandPerHour: 0.134012 },
    "e2-standard-8": { vcpu: 8, memoryGiB: 32, onDemandPerHour: 0.268024 },
    "n2-standard-4": { vcpu: 4, memoryGiB: 16, onDemandPerHour: 0.194236 },
    "n2d-standard-4": { vcpu: 4, memoryGiB: 16, onDemandPerHour: 0.168984 },
    "t2d-standard-4": { vcpu: 4, memoryGiB: 16, onDemandPerHour: 0.168984 },
    "n4-standard-4": { vcpu: 4, memoryGiB: 16, onDemandPerHour: 0.1894 },
};

/**
 * Share of the on-demand price saved on spot capacity. Spot prices float; 65 % is a cautious
 * middle of what both clouds' general-purpose types have shown (AWS advertises "up to 90 %").
 */
export const DEFAULT_SPOT_DISCOUNT = 0.65;
