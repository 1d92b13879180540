/**
 * The catalog fields of an ecs-ec2 service and the checks the schema cannot
 * express: container sizes ECS accepts, one architecture for all instance
 * types (one AMI), the image's platform on it, GPUs that fit on each type
 * (the GPU AMI is x86_64 only), and placement constraints some instance type
 * satisfies. Plain functions, no Pulumi.
 */
import { z } from "zod";
import type { CatalogProblem } from "../../catalog/errors";
import { checkCapacityBounds, INSTANCE_TYPE, requireInstanceTypes, SHARED_FIELDS } from "../../catalog/fields";
import { checkArchitecture, gpusPerInstance, instanceArchitecture } from "../instances";
import { instanceTypeSatisfies, parsePlacement } from "./placement";

/** Placement strategies ECS offers, as `type:field`. */
export const PLACEMENT_STRATEGIES = ["spread:az", "spread:instance", "binpack:memory", "binpack:cpu", "random"] as const;

/** Instance families with NVIDIA GPUs that ECS's GPU AMI supports. */
export const GPU_FAMILY = /^(g[0-9]|p[0-9])[a-z0-9-]*\./;

export const ECS_EC2_FIELDS = {
    cpu: SHARED_FIELDS.cpu,
    memory: SHARED_FIELDS.memory,
    instanceTypes: SHARED_FIELDS.instanceTypes,
    /** GPUs per task (NVIDIA; GPU instance types and the GPU AMI). */
    gpus: z.number().int().min(1).max(16).optional(),
    /** Task placement. */
    placement: z
        .strictObject({
            constraints: z.array(z.string()).default([]),
            strategy: z
                .array(z.enum(PLACEMENT_STRATEGIES, { error: `use one of ${PLACEMENT_STRATEGIES.join(", ")}` }))
                .default([]),
        })
        .optional(),
    capacity: SHARED_FIELDS.capacity,
};

/** Container CPU units ECS on EC2 accepts (0.125 to 192 vCPUs). */
export const ECS_EC2_CPU = { min: 128, max: 196_608 } as const;
/** Container memory (MiB, hard limit): enough for a process, at most the largest ECS host (24 TiB). */
export const ECS_EC2_MEMORY = { min: 128, max: 24 * 1024 * 1024 } as const;

export function checkEcsEc2Service(at: string, entry: Record<string, unknown>, problems: CatalogProblem[]): void {
    const cpu = typeof entry.cpu === "number" ? entry.cpu : 256;
    const memory = typeof entry.memory === "number" ? entry.memory : 512;
    if (cpu < ECS_EC2_CPU.min || cpu > ECS_EC2_CPU.max) {
        problems.push({
            path: `${at}.cpu`,
            message: `${cpu} CPU units is outside what ECS on EC2 accepts: use ${ECS_EC2_CPU.min}-${ECS_EC2_CPU.max} (1024 units = 1 vCPU)`,
        });
    }
    if (memory < ECS_EC2_MEMORY.min || memory > ECS_EC2_MEMORY.max) {
        problems.push({
            path: `${at}.memory`,
            message: `${memory} MiB is outside the container memory this platform accepts: use ${ECS_EC2_MEMORY.min}-${ECS_EC2_MEMORY.max} MiB`,
        });
    }
    checkGpus(at, entry, checkArchitecture(at, entry, "one Auto Scaling group runs one AMI", problems), problems);
    requireInstanceTypes(at, entry, "ecs-ec2", problems);
    checkGpuFamilies(at, entry, problems);
    checkPlacement(at, entry, problems);
    checkCapacityBounds(at, entry, problems);
}

/** GPUs on arm64 types (the GPU AMI is x86_64 only), and more GPUs per task than a type has. */
function checkGpus(at: string, entry: Record<string, unknown>, typed: { t: string; j: number }[], problems: CatalogProblem[]): void {
    if (typeof entry.gpus !== "number") {
        return;
    }
    for (const { t, j } of typed) {
        if (instanceArchitecture(t) === "arm64") {
            problems.push({
                path: `${at}.instanceTypes[${j}]`,
                message: `${t} is arm64, but ECS's GPU-optimized AMI is x86_64 only; use g4dn, g5, g6 or p-family types`,
            });
            continue;
        }
        const have = gpusPerInstance(t);
        if (have !== undefined && have < entry.gpus) {
            problems.push({
                path: `${at}.instanceTypes[${j}]`,
                message: `${t} has ${have} GPU${have === 1 ? "" : "s"}, but each task asks for ${entry.gpus}: no task could be placed on it; use a larger size`,
            });
        }
    }
}

/** A service asking for GPUs runs on GPU families only (malformed types are the schema's to report). */
function checkGpuFamilies(at: string, entry: Record<string, unknown>, problems: CatalogProblem[]): void {
    if (typeof entry.gpus !== "number") {
        return;
    }
    const rawTypes: unknown[] = Array.isArray(entry.instanceTypes) ? entry.instanceTypes : [];
    rawTypes.forEach((t, j) => {
        if (typeof t === "string" && INSTANCE_TYPE.test(t) && !GPU_FAMILY.test(t)) {
            problems.push({
                path: `${at}.instanceTypes[${j}]`,
                message: `${t} has no GPU, but the service asks for ${entry.gpus}; use a GPU family such as g5, g6 or p4d`,
            });
        }
    });
}

/** Placement constraints in ECS's query language, each satisfied by one of the service's instance types. */
function checkPlacement(at: string, entry: Record<string, unknown>, problems: CatalogProblem[]): void {
    const placement = typeof entry.placement === "object" && entry.placement !== null ? (entry.placement as Record<string, unknown>) : {};
    if (!Array.isArray(placement.constraints)) {
        return;
    }
    const rawTypes: unknown[] = Array.isArray(entry.instanceTypes) ? entry.instanceTypes : [];
    const types = rawTypes.filter((t): t is string => typeof t === "string" && INSTANCE_TYPE.test(t));
    placement.constraints.forEach((expr, j) => {
        const where = `${at}.placement.constraints[${j}]`;
        if (typeof expr !== "string") {
            return; // the schema reports it
        }
        const parsed = parsePlacement(expr);
        if (!parsed.ok) {
            problems.push({ path: where, message: parsed.reason });
            return;
        }
        if (!parsed.disjunction && types.length > 0 && !types.some(t => instanceTypeSatisfies(t, parsed.clauses))) {
            problems.push({
                path: where,
                message: `no task could be placed: none of the service's instance types (${types.join(", ")}) satisfies ${JSON.stringify(expr)}`,
            });
        }
    });
}
