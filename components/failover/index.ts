export * from "./failover-args";
export * from "./route53-failover";
export * from "./cloud-dns-failover";
