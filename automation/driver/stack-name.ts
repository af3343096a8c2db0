/**
 * A stack's own name: Pulumi Cloud can answer `org/pr-5` or `org/project/pr-5`
 * (pkg/backend/httpstate/stack.go), the DIY backends `pr-5`. Compare stack names only through this.
 */
export const stackBaseName = (name: string): string => name.slice(name.lastIndexOf("/") + 1);
