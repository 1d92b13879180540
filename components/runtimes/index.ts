/**
 * Every runtime the platform offers, one declaration each
 * (components/runtimes/<runtime>/index.ts, with its pack side in
 * policies/facts/runtimes/<runtime>.ts). The catalog takes each runtime's
 * fields and checks from here, the platform its binding to the PrivateLink
 * provider path and its component, the tools its example and cost lines.
 * Adding a runtime: docs/architecture.md.
 */
import type { z } from "zod";
import { RUNTIME_NAMES, RuntimeName } from "../../policies/facts/runtimes";
import { ECS_EC2_RUNTIME } from "./ecs-ec2";
import { EKS_RUNTIME } from "./eks";
import { FARGATE_RUNTIME } from "./fargate";
import { LAMBDA_RUNTIME } from "./lambda";
import type { RuntimeModule } from "./module";

/** Holds each declaration to the name it is registered under, and to every runtime of the pack's registry. */
function registry<T extends { [K in RuntimeName]: RuntimeModule<K, z.ZodRawShape, z.ZodRawShape> }>(runtimes: T): T {
    return runtimes;
}

export const RUNTIME_MODULES = registry({
    fargate: FARGATE_RUNTIME,
    "ecs-ec2": ECS_EC2_RUNTIME,
    eks: EKS_RUNTIME,
    lambda: LAMBDA_RUNTIME,
});

type Modules = typeof RUNTIME_MODULES;
type UnionToIntersection<U> = (U extends unknown ? (k: U) => void : never) extends (k: infer I) => void ? I : never;
type PlatformFieldsOf<M> = M extends { platformFields?: infer P } ? NonNullable<P> : never;

/** Every runtime's own service fields, one schema per field name. */
export type RuntimeFields = UnionToIntersection<Modules[RuntimeName]["fields"]>;
/** Every runtime's platform fields (`platform.eks`). */
export type RuntimePlatformFields = UnionToIntersection<PlatformFieldsOf<Modules[RuntimeName]>>;

export { RUNTIME_NAMES };
export type { RuntimeName };
export type { EntryContext, RuntimeBinding, RuntimeModule, SubnetNeeds, WorkloadClass } from "./module";

/** The declaration of a runtime by its catalog name. */
export function runtimeModule(name: RuntimeName): RuntimeModule {
    return RUNTIME_MODULES[name];
}

/** The declaration of a catalog entry's runtime, if it names one. */
export function runtimeOf(runtime: unknown): RuntimeModule | undefined {
    return typeof runtime === "string" && Object.prototype.hasOwnProperty.call(RUNTIME_MODULES, runtime) ? RUNTIME_MODULES[runtime as RuntimeName] : undefined;
}

/**
 * Merges the runtimes' fields by name. Two runtimes accepting one field
 * share its schema (components/catalog/fields.ts: SHARED_FIELDS), so a
 * stack file means the same thing whatever the runtime.
 */
function mergeFields(pick: (m: RuntimeModule) => z.ZodRawShape | undefined): Record<string, z.ZodType> {
    const out: Record<string, z.ZodType> = {};
    for (const name of RUNTIME_NAMES) {
        for (const [field, schema] of Object.entries(pick(RUNTIME_MODULES[name]) ?? {})) {
            if (out[field] !== undefined && out[field] !== schema) {
                throw new Error(`runtime ${name} declares the field ${field} differently from another runtime: share one schema (components/catalog/fields.ts)`);
            }
            out[field] = schema as z.ZodType;
        }
    }
    return out;
}

export const RUNTIME_FIELDS = mergeFields(m => m.fields) as unknown as RuntimeFields;
export const RUNTIME_PLATFORM_FIELDS = mergeFields(m => m.platformFields) as unknown as RuntimePlatformFields;

/** Each runtime-only service field, and the runtimes that accept it (in catalog order). */
export const RUNTIME_ONLY_FIELDS: Readonly<Record<string, readonly RuntimeName[]>> = Object.fromEntries(
    Object.keys(RUNTIME_FIELDS).map(field => [field, RUNTIME_NAMES.filter(n => field in RUNTIME_MODULES[n].fields)]),
);

/** Whether a service of this runtime reads the platform field `field` (`eks`), so the stack uses it. */
export function readsPlatformField(runtime: unknown, field: string): boolean {
    const m = runtimeOf(runtime);
    return m?.platformFields !== undefined && field in m.platformFields;
}

/** A fresh catalog entry of the runtime's example service (cost tables, benchmarks, tests). */
export function exampleService(runtime: RuntimeName, name: string, port: number): Record<string, unknown> {
    return { name, runtime, port, ...structuredClone(RUNTIME_MODULES[runtime].example) };
}
