/**
 * The catalog fields of a lambda service and the checks the schema cannot
 * express: code from a directory or an image (not both), no handler or
 * runtime for an image, and subnets an internal ALB fits in. Plain
 * functions, no Pulumi.
 */
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import type { CatalogProblem } from "../../catalog/errors";
import type { EntryContext, SubnetNeeds } from "../module";

/** Lambda runtimes still supported for new functions. */
export const LAMBDA_RUNTIMES = ["nodejs20.x", "nodejs22.x", "python3.12", "python3.13", "java21"] as const;

/** The function of a lambda service. */
export const functionSchema = z.strictObject({
    /** A directory of this repository, zipped as the function's code. */
    code: z.string().min(1).optional(),
    handler: z.string().min(1).default("index.handler"),
    runtime: z
        .enum(LAMBDA_RUNTIMES, { error: `use a supported Lambda runtime: ${LAMBDA_RUNTIMES.join(", ")}` })
        .default("nodejs22.x"),
    memorySize: z.number().int().min(128).max(10240).default(256),
    timeout: z.number().int().min(1).max(900).default(10),
    reservedConcurrency: z.number().int().min(1).max(1000).default(10),
});

export const LAMBDA_FIELDS = {
    /** The function. */
    function: functionSchema.optional(),
};

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

/** A lambda service's subnets: its addresses, and /27 or larger for its ALB. */
export function lambdaSubnet(endpoints: number): SubnetNeeds {
    return {
        addresses: lambdaAddressesPerSubnet(endpoints),
        maxPrefix: { prefix: ALB_MIN_SUBNET_PREFIX, why: `runs an internal ALB, which AWS only places in /${ALB_MIN_SUBNET_PREFIX} subnets or larger` },
    };
}

export function checkLambdaService(entry: Record<string, unknown>, ctx: EntryContext, problems: CatalogProblem[]): void {
    const { at } = ctx;
    checkLambdaImageFields(at, entry, problems);
    const fn = typeof entry.function === "object" && entry.function !== null && !Array.isArray(entry.function) ? (entry.function as Record<string, unknown>) : undefined;
    const code = typeof fn?.code === "string" ? fn.code : undefined;
    if (entry.image !== undefined && code !== undefined) {
        problems.push({ path: `${at}.function.code`, message: "a function has either code or an image, not both; remove one" });
    } else if (entry.image === undefined && code === undefined) {
        problems.push({ path: `${at}.function.code`, message: "is required: a directory of this repository with the function's code (or set image)" });
    } else if (code !== undefined) {
        const dir = path.resolve(ctx.projectDir, code);
        if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
            problems.push({ path: `${at}.function.code`, message: `directory ${JSON.stringify(code)} does not exist (resolved to ${dir})` });
        }
    }
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
