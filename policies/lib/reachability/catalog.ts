import { PolicyResource } from "@pulumi/policy";
import { declaredEdges, edgeName } from "../declared-edges";
import { planGraph, PlanGraph } from "../plan/graph";
import { TYPES } from "../plan/types";
import { configValue } from "../stack-config";
import { remoteServices, shardView } from "../shards";
import { isRecord } from "../values";
import { analyze, AnalyzeOptions, Reachability } from "./analyze";

/**
 * The intent the model checks the plan against, from the catalog: its
 * declared edges (lib/declared-edges.ts: every `consumes`, and the API front
 * door's edge VPC consuming each service it reaches through the VPC link),
 * each provider's port and runtime. Read from the stack's configuration
 * (PULUMI_CONFIG under the engine, `stackConfig` offline); without a
 * catalog, from the stack's `declaredEdges` output.
 */
export function intentFromCatalog(services: unknown, region?: unknown, platform?: unknown): AnalyzeOptions {
    const ports: Record<string, number> = {};
    const runtimes: Record<string, string> = {};
    for (const s of Array.isArray(services) ? services : []) {
        if (!isRecord(s) || typeof s.name !== "string") continue;
        if (typeof s.port === "number") ports[s.name] = s.port;
        if (typeof s.runtime === "string") runtimes[s.name] = s.runtime;
    }
    const declared = declaredEdges(services, platform).map(edgeName);
    // Other providers' services each declares (`external`): leaving the platform by design.
    const external: Record<string, string[]> = {};
    for (const s of Array.isArray(services) ? services : []) {
        if (!isRecord(s) || typeof s.name !== "string" || !Array.isArray(s.external)) continue;
        const names = s.external.map((e) => (isRecord(e) && typeof e.serviceName === "string" ? e.serviceName : undefined)).filter((n): n is string => n !== undefined);
        if (names.length > 0) external[s.name] = names;
    }
    return { declared, ports, runtimes, region: typeof region === "string" ? region : undefined, ...(Object.keys(external).length > 0 ? { external } : {}) };
}

/** The catalog's intent, or undefined when the stack has neither a catalog nor a `declaredEdges` output (not this program). */
export function intentFromStackConfig(graph: PlanGraph): AnalyzeOptions | undefined {
    const services = configValue("services");
    if (Array.isArray(services)) {
        const remote = remoteServices();
        const intent = intentFromCatalog(services, configValue("region", "aws"), configValue("platform"));
        // A shard stack holds the environment's whole catalog but deploys only
        // its own services: an edge with neither end here is another stack's
        // business (the environment plan decides it over every shard's
        // records), so it is neither analysed nor reported here. Otherwise every
        // shard would report every edge of the environment.
        const view = shardView();
        if (view) {
            intent.declared = (intent.declared ?? []).filter((e) => e.split("->").some((s) => view.local.has(s)));
        }
        return { ...intent, ...(remote.length > 0 ? { remote } : {}) };
    }
    const exported = graph.ofType(TYPES.stack)[0]?.props.declaredEdges;
    return Array.isArray(exported) ? { declared: exported.filter((e): e is string => typeof e === "string") } : undefined;
}

const cache = new WeakMap<PolicyResource[], Reachability>();

const primed = new WeakMap<PolicyResource[], () => Reachability | undefined>();

/**
 * Offline, evaluate() hands the rules an analysis computed from the raw
 * records (no proxy to read through) for the resource list it builds.
 */
export function primeReachability(resources: PolicyResource[], compute: () => Reachability | undefined): void {
    primed.set(resources, () => {
        const r = compute();
        if (r) cache.set(resources, r);
        return r;
    });
}

export const NONE: Reachability = { services: [], edges: [], undeclared: [], outside: [], external: [], startup: [], notes: [] };

/**
 * One analysis per resource list, shared by the three reachability rules.
 * Without the catalog's intent (neither the stack's configuration nor a
 * `declaredEdges` output: not a stack of this program) there is nothing to
 * check the paths against, and the rules report nothing.
 */
export function reachabilityOf(resources: PolicyResource[]): Reachability {
    let r = cache.get(resources) ?? primed.get(resources)?.();
    if (!r) {
        const graph = planGraph(resources);
        const intent = intentFromStackConfig(graph);
        r = intent ? analyze(graph, intent) : NONE;
        cache.set(resources, r);
    }
    return r;
}
