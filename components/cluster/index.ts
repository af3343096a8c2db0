export * from "./eks-args";
export * from "./eks-cluster";
export * from "./gke-args";
export * from "./gke-cluster";
export * from "./kubeconfig";
export * from "./kubernetes-cluster";
export * from "./subnets";
export * from "./system-pool";
export { CLUSTER_POLICIES, EKS_ADDONS, NODE_POLICIES } from "./eks-iam";
