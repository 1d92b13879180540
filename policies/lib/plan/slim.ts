import type { PlanMode, PlanRecord } from "./record";
import { kindOf, NETWORK_KINDS } from "./types";

/**
 * A plan's records reduced to what the reachability model reads, as plain
 * data that crosses threads (the offline environment plan keeps these of
 * every shard and analyses their union). Each stays a PlanRecord: its
 * properties merged as the engine shows them to a stack policy in `mode`
 * (kept as `outputs`, so a graph of them reads the same in either mode);
 * records of other kinds keep only their tags (the service they belong to).
 */
export function slimRecords(records: readonly PlanRecord[], mode: PlanMode): PlanRecord[] {
    return records.map((r) => {
        const inputs = r.inputs ?? {};
        const outputs = r.outputs ?? {};
        const merged = mode === "up" ? { ...inputs, ...outputs } : { ...outputs, ...inputs };
        const network = NETWORK_KINDS.has(kindOf(r.type));
        const slim: PlanRecord = {
            urn: r.urn,
            type: r.type,
            name: r.name,
            outputs: network ? merged : merged.tags === undefined ? {} : { tags: merged.tags },
            propertyDependencies: r.propertyDependencies ?? {},
        };
        if (network && r.dependencies) slim.dependencies = r.dependencies;
        if (r.parent) slim.parent = r.parent;
        if (network && r.id !== undefined) slim.id = r.id;
        return slim;
    });
}
