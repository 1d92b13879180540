import { PolicyResource } from "@pulumi/policy";
import { configValue } from "../stack-config";
import { isRecord } from "../values";
import { analyze, AnalyzeOptions, Reachability } from "./analyze";
import { fromPolicyResources, NetRecord } from "./records";

/**
 * The intent the model checks the records against, from the catalog: the
 * declared `consumes` edges, each provider's port and runtime. Read from the
 * stack's configuration (PULUMI_CONFIG under the engine, `stackConfig`
 * offline); without a catalog, from the stack's `declaredEdges` output.
 */
export function intentFromCatalog(services: unknown, region?: unknown): AnalyzeOptions {
    const declared: string[] = [];
    const ports: Record<string, number> = {};
    const runtimes: Record<string, string> = {};
    for (const s of Array.isArray(services) ? services : []) {
        if (!isRecord(s) || typeof s.name !== "string") continue;
        if (typeof s.port === "number") ports[s.name] = s.port;
        if (typeof s.runtime === "string") runtimes[s.name] = s.runtime;
        for (const c of Array.isArray(s.consumes) ? s.consumes : []) if (typeof c === "string") declared.push(`${s.name}->${c}`);
    }
    return { declared, ports, runtimes, region: typeof region === "string" ? region : undefined };
}

export function intentFromStackConfig(records: NetRecord[]): AnalyzeOptions {
    const services = configValue("services");
    if (Array.isArray(services)) {
        return intentFromCatalog(services, configValue("region", "aws"));
    }
    const stack = records.find((r) => r.type === "pulumi:pulumi:Stack");
    const exported = stack?.props.declaredEdges;
    // Neither: the mesh endpoints' privatelink:edge tags, which declared-edges-only checks against the topology.
    return { declared: Array.isArray(exported) ? exported.filter((e): e is string => typeof e === "string") : taggedEdges(records) };
}

const cache = new WeakMap<PolicyResource[], Reachability>();

/** One analysis per resource list, shared by the three reachability rules. */
export function reachabilityOf(resources: PolicyResource[]): Reachability {
    let r = cache.get(resources);
    if (!r) {
        const records = fromPolicyResources(resources);
        r = analyze(records, intentFromStackConfig(records));
        cache.set(resources, r);
    }
    return r;
}

function taggedEdges(records: NetRecord[]): string[] {
    const out = new Set<string>();
    for (const r of records) {
        const tags = r.props.tags;
        if (r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && isRecord(tags) && typeof tags["privatelink:edge"] === "string") out.add(tags["privatelink:edge"]);
    }
    return [...out];
}
