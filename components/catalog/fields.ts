/**
 * Catalog fields that several parts of the catalog share: IAM principals,
 * CIDR blocks, and the sizing fields more than one runtime accepts (task
 * CPU and memory, instance types, host capacity). A runtime lists the ones
 * it accepts with its own fields (components/runtimes/<runtime>/catalog.ts).
 * No import of the assembled schema: the runtimes' declarations load before it.
 */
import { z } from "zod";
import type { CatalogProblem } from "./errors";
import { documentationPrincipal, documentationRangeOf } from "../../policies/facts/documentation-values";

const PRINCIPAL_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:(root|role\/[\w+=,.@\/-]+|user\/[\w+=,.@\/-]+)$/;

/** An IAM principal ARN of a real account: root, a role or a user. */
export const principal = z
    .string()
    .regex(PRINCIPAL_ARN, {
        error: iss =>
            `${JSON.stringify(iss.input)} is not an IAM principal ARN; use arn:aws:iam::<12-digit account>:root, ` +
            `...:role/<name> or ...:user/<name> (a wildcard would make the endpoint service public)`,
    })
    .superRefine((arn, ctx) => {
        const why = documentationPrincipal(arn);
        if (why) {
            ctx.addIssue({
                code: "custom",
                message: `${JSON.stringify(arn)}: ${why}; use a principal of a real account, or leave the field as { needsInput: "..." } (docs/deployability.md#values-only-you-can-know-prerequisites-and-eks-access)`,
            });
        }
    });

/** A TCP port, 1-65535. */
export const port = z
    .number({ error: "must be a whole number between 1 and 65535" })
    .int({ error: "must be a whole number between 1 and 65535" })
    .min(1, { error: iss => `${String(iss.input)} is out of range: use a port between 1 and 65535` })
    .max(65535, { error: iss => `${String(iss.input)} is out of range: use a port between 1 and 65535` });

/** An IPv4 CIDR block of real machines (not a documentation range). */
export const cidrBlock = z
    .string()
    .regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, { error: iss => `${JSON.stringify(iss.input)} is not an IPv4 CIDR block` })
    .superRefine((cidr, ctx) => {
        const doc = documentationRangeOf(cidr);
        if (doc) {
            ctx.addIssue({
                code: "custom",
                message:
                    `${cidr} ${cidr === doc ? "is" : `overlaps ${doc},`} an address range reserved for documentation (RFC 5737) that no machine has; ` +
                    `list the egress CIDRs of the machines that run pulumi up, or leave the field as { needsInput: "..." }`,
            });
        }
    });

/** EC2 instance type names: family (with generation and options), a dot, a size. */
export const INSTANCE_TYPE = /^[a-z]+[0-9][a-z0-9-]*\.(nano|micro|small|medium|large|metal|[0-9]*xlarge|metal-[0-9]+xl)$/;

const instanceType = z.string().regex(INSTANCE_TYPE, {
    error: iss => `${JSON.stringify(iss.input)} is not an EC2 instance type such as "m7g.large" or "g5.xlarge"`,
});

/** The fields more than one runtime accepts; a runtime lists the ones it takes among its own. */
export const SHARED_FIELDS = {
    /** Task or pod CPU units (1024 = 1 vCPU). */
    cpu: z.number().int().default(256),
    /** Task or pod memory, MiB. */
    memory: z.number().int().default(512),
    /** The instance types of the service's hosts or nodes. */
    instanceTypes: z.array(instanceType).min(1, { error: "must list at least one instance type" }).optional(),
    /** How many hosts or nodes (the Auto Scaling group or node group). */
    capacity: z
        .strictObject({
            min: z.number().int().min(0).max(1000).default(1),
            max: z.number().int().min(1).max(1000).default(2),
        })
        .optional(),
};

/** `instanceTypes` is required: the runtime runs on hosts or nodes of these types. */
export function requireInstanceTypes(at: string, entry: Record<string, unknown>, runtime: string, problems: CatalogProblem[]): void {
    if (entry.instanceTypes === undefined) {
        problems.push({ path: `${at}.instanceTypes`, message: `is required for runtime ${runtime}, e.g. [m7i.large]` });
    }
}

/** `capacity.min` above `capacity.max`. */
export function checkCapacityBounds(at: string, entry: Record<string, unknown>, problems: CatalogProblem[]): void {
    const c = entry.capacity;
    if (typeof c === "object" && c !== null && !Array.isArray(c)) {
        const { min, max } = c as Record<string, unknown>;
        if (typeof min === "number" && typeof max === "number" && min > max) {
            problems.push({ path: `${at}.capacity`, message: `min (${min}) is greater than max (${max}); raise max or lower min` });
        }
    }
}
