import { Problems, checkIntegerIn, checkSizeRange, show } from "../validation";
import { checkOneArchitecture } from "./architecture";

/** The small on-demand pool that runs critical add-ons (CoreDNS, the CSI driver, controllers). */
export interface SystemPoolArgs {
    /**
     * Instance types, first preferred.
     * @default ["m6i.large", "m6a.large", "m7i.large"] on EKS; "e2-standard-4" on GKE
     */
    readonly instanceTypes?: readonly string[];
    /**
     * Fewest nodes (per zone on GKE).
     * @default EKS: 2 in production, 1 otherwise; GKE: 1 per zone
     */
    readonly minSize?: number;
    /**
     * Most nodes (per zone on GKE).
     * @default EKS: 4 in production, 2 otherwise; GKE: 3 per zone in production, 2 otherwise
     */
    readonly maxSize?: number;
    /**
     * Root volume size in GiB (encrypted gp3 on EKS, pd-balanced on GKE).
     * @default 50
     */
    readonly diskSizeGiB?: number;
}

export function systemPoolDefaults(production: boolean, instanceTypes: readonly string[]): Required<SystemPoolArgs> {
    return { instanceTypes, minSize: production ? 2 : 1, maxSize: production ? 4 : 2, diskSizeGiB: 50 };
}

/** Drops keys whose value is undefined, so spreading them does not erase a default. */
export function definedOnly<T extends object>(value: T): Partial<T> {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function validateSystemPool(problems: Problems, path: string, pool: Required<SystemPoolArgs>, cloud: "aws" | "gcp"): void {
    checkSizeRange(problems, path, pool.minSize, pool.maxSize);
    checkIntegerIn(problems, `${path}.diskSizeGiB`, pool.diskSizeGiB, 20, 16384, 50);
    problems.check(
        Array.isArray(pool.instanceTypes) && pool.instanceTypes.length > 0,
        `${path}.instanceTypes`,
        `got ${show(pool.instanceTypes)}: name at least one instance type, e.g. ["m6i.large"]`,
    );
    checkOneArchitecture(problems, `${path}.instanceTypes`, cloud, pool.instanceTypes);
}
