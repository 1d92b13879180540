import { checkVpcCidr, subnetPrefix } from "./cidr";
import type { CatalogProblem } from "./errors";

/** AWS refuses load balancer subnets smaller than /27; a lambda service runs an internal ALB. */
export const ALB_MIN_SUBNET_PREFIX = 27;

/** Free addresses AWS requires in each subnet of an ALB (it scales by adding nodes). */
export const ALB_FREE_ADDRESSES = 8;

/**
 * Lambda's Hyperplane ENIs in each subnet: one per subnet and security group,
 * shared by every execution environment; two while a configuration change
 * replaces one.
 */
export const LAMBDA_ENIS_PER_SUBNET = 2;

/** Addresses a lambda service needs in each zone's subnet: NLB node, ALB, endpoints, function ENIs. */
export function lambdaAddressesPerSubnet(endpoints: number): number {
    return 1 + ALB_FREE_ADDRESSES + endpoints + LAMBDA_ENIS_PER_SUBNET;
}

/**
 * A lambda service's VPC block must give /27 subnets or larger, for its ALB.
 * Reported on the service's own `cidr`, or on `platform.vpcCidr` it inherits.
 * True when the block passes (or is malformed, which is reported elsewhere).
 */
export function checkLambdaSubnets(i: number, name: string, cidr: string, ownCidr: boolean, problems: CatalogProblem[]): boolean {
    const check = checkVpcCidr(cidr);
    if (!check.ok) {
        return true;
    }
    const prefix = subnetPrefix(check.prefix);
    if (prefix <= ALB_MIN_SUBNET_PREFIX) {
        return true;
    }
    const block = check.prefix - (prefix - ALB_MIN_SUBNET_PREFIX);
    problems.push({
        path: ownCidr ? `services[${i}].cidr` : "platform.vpcCidr",
        message:
            `${cidr} gives each zone a /${prefix} subnet, but ${name} (runtime lambda) runs an internal ALB, ` +
            `which AWS only places in /${ALB_MIN_SUBNET_PREFIX} subnets or larger: use a /${block} or larger block`,
    });
    return false;
}

/**
 * An image function takes its handler and runtime from the image (its CMD and
 * base image): `function.handler` and `function.runtime` would be ignored, so
 * they are refused rather than silently dropped.
 */
export function checkLambdaImageFields(at: string, entry: Record<string, unknown>, problems: CatalogProblem[]): void {
    const fn = entry.function;
    if (entry.image === undefined || typeof fn !== "object" || fn === null || Array.isArray(fn)) {
        return;
    }
    for (const field of ["handler", "runtime"] as const) {
        if ((fn as Record<string, unknown>)[field] !== undefined) {
            problems.push({
                path: `${at}.function.${field}`,
                message: `does not apply to a function built from an image (the image's CMD and base image decide it); remove it`,
            });
        }
    }
}
