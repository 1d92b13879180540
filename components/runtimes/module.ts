/**
 * The program's side of a runtime: one declaration per runtime
 * (components/runtimes/<runtime>/index.ts), holding everything the catalog,
 * the platform and the tools need to know about it. Its pack side (AWS
 * endpoints, start-up requests, resource types, quotas) is `facts`, declared
 * in policies/facts/runtimes/<runtime>.ts so the policy pack stays
 * publishable on its own.
 *
 * A declaration loads without Pulumi: the catalog validates a stack file
 * with it, and the component is loaded only when the platform builds one.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { RuntimeFacts } from "../../policies/facts/runtimes";
import type { CatalogProblem } from "../catalog/errors";
import type { ServiceSpec } from "../catalog/schema";
import type { PlatformServiceArgs, TargetType } from "../privateLinkService";
import type { Workload, WorkloadArgs } from "../workload";

/**
 * How the runtime's workload joins the one PrivateLink provider path: the
 * NLB target group's type, and the port and health check where the runtime
 * needs its own (default: the service's port, TCP).
 */
export interface RuntimeBinding {
    targetType: TargetType;
    targetPort?: (spec: ServiceSpec) => number;
    healthCheck?: (spec: ServiceSpec) => PlatformServiceArgs["healthCheck"];
}

/** Where a service's entry sits in the stack file, for the checks' messages. */
export interface EntryContext {
    /** `services[<i>]` */
    at: string;
    index: number;
    /** The service's name, or its path when it has none. */
    name: string;
    /** Where relative paths (Lambda code directories) are resolved. */
    projectDir: string;
}

/** The subnet a service needs in each zone. */
export interface SubnetNeeds {
    /** Addresses at peak. */
    addresses: number;
    /** Smallest subnet (its prefix length) the runtime's resources accept, if it has a floor (an ALB's /27). */
    maxPrefix?: { prefix: number; why: string };
}

export type WorkloadClass = new (name: string, args: WorkloadArgs, opts?: pulumi.ComponentResourceOptions) => Workload;

export interface RuntimeModule<Name extends string = string, Fields extends z.ZodRawShape = z.ZodRawShape, PlatformFields extends z.ZodRawShape = Record<never, z.ZodType>> {
    /** The pack's side: AWS endpoints, start-up requests, resource types with parents, quotas. */
    facts: RuntimeFacts<Name>;
    /** Catalog fields of a service of this runtime besides the common ones; other runtimes refuse them unless they list the same field. */
    fields: Fields;
    /** Platform-level fields the runtime reads (`platform.eks`); used by a stack when one of its services has this runtime. */
    platformFields?: PlatformFields;
    /** Whether a service must name an image (`image`), or may come without one (Lambda code from a directory). */
    image: "required" | "optional";
    /** Checks of one raw service entry that the schema cannot express, each problem with its path and the fix. */
    check?(entry: Record<string, unknown>, ctx: EntryContext, problems: CatalogProblem[]): void;
    /** Checks of the raw `platform` block for this runtime's platform fields. */
    checkPlatform?(rawPlatform: Record<string, unknown>, problems: CatalogProblem[]): void;
    /**
     * What each zone's subnet must hold for a service: `endpoints` interface
     * endpoints (AWS services and consumed services), up to `maxTasks` tasks
     * across `zones`.
     */
    subnet(endpoints: number, maxTasks: number, zones: number): SubnetNeeds;
    binding: RuntimeBinding;
    /**
     * How the service's catalog `secrets` reach its code: `container`, the
     * runtime injects each value into the container's environment at start
     * (ECS container `secrets`, read by the execution role); `variable`, the
     * code gets `<NAME>_ARN` and reads the value at run time with its own role.
     */
    secrets: "container" | "variable";
    /** Whether catalog `triggers` (an SQS queue, a schedule) may invoke the workload: its component then exposes `invokable`. */
    triggers?: boolean;
    /** The component that builds the workload (privatelink:runtime:*), loaded on first use. */
    component(): WorkloadClass;
    /** The smallest valid service of this runtime, besides `name`, `runtime` and `port` (cost tables, benchmarks, tests). */
    example: Readonly<Record<string, unknown>>;
    /** The cost estimate's categories the runtime's own resources are priced under (tools/insights/cost.ts). */
    costs: readonly string[];
}

/**
 * Addresses a container runtime needs in each zone's subnet, at peak: the
 * NLB's node, one ENI per interface endpoint, and twice the zone's share of
 * tasks (a rolling deployment starts new tasks before stopping old ones).
 */
export function taskSubnet(endpoints: number, maxTasks: number, zones: number): SubnetNeeds {
    return { addresses: 1 + endpoints + 2 * Math.ceil(maxTasks / Math.max(zones, 1)) };
}
