/**
 * Catalog names that would make names AWS refuses. Every AWS name the
 * platform derives from a service or a stack is checked again, per resource
 * type, by the policy rule aws-name-limits; these checks refuse the catalog
 * first, with the field to change, before anything is registered.
 */
import type { CatalogProblem } from "./errors";
import { nameLimitOf } from "../../policies/facts/name-limits";
import { MAX_SERVICE_NAME_LENGTH } from "./schema";

/**
 * Service-name prefixes that become prefixes AWS refuses: the NLB and ALB are
 * named `<service>-nlb…`/`<service>-alb…`, and load balancer names "must not
 * begin with internal-" (Elastic Load Balancing API Reference,
 * CreateLoadBalancer, Name); security groups are named `<service>-…`, and a
 * group name "cannot start with sg-" (Amazon EC2 API Reference,
 * CreateSecurityGroup, GroupName).
 */
export const REFUSED_SERVICE_PREFIXES: readonly { prefix: string; why: string }[] = [
    { prefix: "internal", why: 'its load balancers would be named "internal-…", which AWS refuses for load balancer names' },
    { prefix: "sg", why: 'its security groups would be named "sg-…", which AWS refuses for security group names' },
];

/** Why a (well-formed) service name makes an invalid AWS name, or undefined. */
export function refusedServiceName(name: string): string | undefined {
    for (const { prefix, why } of REFUSED_SERVICE_PREFIXES) {
        if (name === prefix || name.startsWith(`${prefix}-`)) {
            return `${JSON.stringify(name)}: ${why}; choose a name that does not start with "${prefix}-"`;
        }
    }
    return undefined;
}

/**
 * One path component of an ECR repository name (the repository is
 * `<stack>/<service>`): lowercase letters and digits, separated by single
 * '.', '_' or '-' (Amazon ECR API Reference, CreateRepository, repositoryName:
 * 2-256 characters, path components of that form joined by '/').
 * Without '.', which ECS task families, EKS cluster and Lambda function names
 * (`<stack>-<service>`) do not accept.
 */
export const STACK_NAME = /^[a-z0-9]+(?:[_-][a-z0-9]+)*$/;

/**
 * Longest stack name: `<stack>-<service>` names a Lambda function, at most
 * 64 characters (AWS Lambda API Reference, CreateFunction, FunctionName;
 * policies/facts/name-limits.ts).
 */
export function maxStackNameLength(): number {
    // A function, not a constant: schema.ts imports this module, and reads
    // MAX_SERVICE_NAME_LENGTH only once both modules are loaded.
    return nameLimitOf("aws:lambda/function:Function").max - 1 - MAX_SERVICE_NAME_LENGTH;
}

/** Problems with the stack name, as names AWS resources are derived from it. */
export function checkStackName(stack: string, problems: CatalogProblem[]): void {
    if (!STACK_NAME.test(stack)) {
        problems.push({
            path: "stack",
            message:
                `the stack name ${JSON.stringify(stack)} cannot be part of AWS names: the ECR repositories are ` +
                `"${stack}/<service>" (ECR accepts lowercase letters and digits separated by single '.', '_' or '-') and the ` +
                `task families, EKS clusters and Lambda functions "${stack}-<service>" (no '.'); ` +
                `use a stack name of lowercase letters, digits and single '-' or '_' (e.g. ${JSON.stringify(suggestStack(stack))})`,
        });
    }
    const max = maxStackNameLength();
    if (stack.length > max) {
        problems.push({
            path: "stack",
            message:
                `the stack name ${JSON.stringify(stack)} is ${stack.length} characters; at most ${max} fit ` +
                `Lambda's 64-character function names ("<stack>-<service>", services up to ${MAX_SERVICE_NAME_LENGTH}): use a shorter stack name`,
        });
    }
}

function suggestStack(stack: string): string {
    return stack.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "dev";
}

/**
 * A service's ECR repository: `<environment>/<service>`. The environment,
 * not the stack: in single-stack mode they are the same name, and a service
 * moved into a shard's stack keeps its repository (docs/scale.md).
 */
export function repositoryNameOf(environment: string, service: string): string {
    return `${environment}/${service}`;
}
