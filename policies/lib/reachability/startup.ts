/**
 * What each runtime reaches over the network before its workload serves a
 * single request is declared with the runtime (policies/facts/runtimes:
 * `startup`), as data with its AWS source. The reachability model checks
 * every entry from the workload's own subnets and security groups: an
 * endpoint in the VPC (interface: private DNS on; gateway: a route in the
 * subnets' table), the groups on the way, and the endpoint policy for the
 * request.
 *
 * Kept apart from the runtime's `endpoints` on purpose: those are what the
 * program creates, `startup` is what AWS needs; the model compares the two.
 */
export type { Caller, StartupDependency, StartupRequest } from "../../facts/runtimes";
export type { RuntimeName as Runtime } from "../../facts/runtimes";

export function fill(template: string, region: string, account: string): string {
    return template.replace(/\{region\}/g, region).replace(/\{account\}/g, account);
}
