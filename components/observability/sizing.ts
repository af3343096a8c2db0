import { Problems, isPrometheusDuration, show } from "../validation";

/** How big the observability stack is: per environment, with sensible defaults. */
export interface ObservabilitySizing {
    /** How long Prometheus keeps samples, a Prometheus duration, e.g. "15d". */
    readonly prometheusRetention: string;
    /** Prometheus volume size, a Kubernetes quantity, e.g. "100Gi". */
    readonly prometheusStorage: string;
    readonly prometheusReplicas: number;
    readonly prometheusMemory: string;
    readonly alertmanagerReplicas: number;
    /** How long Loki keeps logs, e.g. "30d". */
    readonly lokiRetention: string;
    /** Single binary for small environments, simple scalable (read/write/backend) for production. */
    readonly lokiMode: "single" | "scalable";
    readonly lokiReplicas: number;
    /** How long Tempo keeps traces, e.g. "14d". */
    readonly tempoRetention: string;
    readonly collectorReplicas: number;
}

export function defaultSizing(production: boolean): ObservabilitySizing {
    return production
        ? {
              prometheusRetention: "15d",
              prometheusStorage: "100Gi",
              prometheusReplicas: 2,
              prometheusMemory: "8Gi",
              alertmanagerReplicas: 3,
              lokiRetention: "30d",
              lokiMode: "scalable",
              lokiReplicas: 3,
              tempoRetention: "14d",
              collectorReplicas: 2,
          }
        : {
              prometheusRetention: "3d",
              prometheusStorage: "20Gi",
              prometheusReplicas: 1,
              prometheusMemory: "2Gi",
              alertmanagerReplicas: 1,
              lokiRetention: "7d",
              lokiMode: "single",
              lokiReplicas: 1,
              tempoRetention: "3d",
              collectorReplicas: 1,
          };
}

const QUANTITY = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

export function sizingProblems(s: ObservabilitySizing, production: boolean, path = "sizing"): Problems {
    const problems = new Problems();
    for (const field of ["prometheusRetention", "lokiRetention", "tempoRetention"] as const) {
        problems.check(isPrometheusDuration(s[field]), `${path}.${field}`, `got ${show(s[field])}: expected a Prometheus duration, e.g. "15d" or "36h"`);
    }
    for (const field of ["prometheusStorage", "prometheusMemory"] as const) {
        problems.check(typeof s[field] === "string" && QUANTITY.test(s[field]), `${path}.${field}`, `got ${show(s[field])}: expected a Kubernetes quantity, e.g. "100Gi"`);
    }
    for (const field of ["prometheusReplicas", "alertmanagerReplicas", "lokiReplicas", "collectorReplicas"] as const) {
        const min = production ? 1 : 0;
        problems.check(
            Number.isInteger(s[field]) && s[field] >= min,
            `${path}.${field}`,
            `got ${show(s[field])}: ${production ? "production needs at least 1 replica (2 or more for high availability)" : "a whole number of replicas"}, e.g. ${production ? 2 : 1}`,
        );
    }
    problems.check(s.lokiMode === "single" || s.lokiMode === "scalable", `${path}.lokiMode`, `got ${show(s.lokiMode)}: use "single" or "scalable"`);
    return problems;
}
