import { PolicyResource } from "@pulumi/policy";
import { isRecord, peek } from "./values";

/** The type of a read of another stack's outputs (`new pulumi.StackReference(name)`). */
export const STACK_REFERENCE = "pulumi:pulumi:StackReference";

/**
 * Endpoint services of other shards of the environment, by service name, as
 * this stack read them through its StackReferences: each referenced stack's
 * `services.<service>.endpointServiceName` output (what a provider shard
 * exports, components/platform.ts). A consumer shard's endpoint that uses
 * one of these names connects to that catalog service: the value came from
 * the provider's stack, not from a literal the program was given.
 *
 * Under the engine a StackReference reads the other stack's last deployed
 * outputs, known in preview as in up (pulumi/pulumi
 * pkg/resource/deploy/builtins.go, readStackReference).
 */
export function referencedEndpointServices(resources: readonly PolicyResource[]): Map<string, { service: string; stack: string }> {
    const out = new Map<string, { service: string; stack: string }>();
    for (const r of resources) {
        if (r.type !== STACK_REFERENCE) continue;
        const services = peek(r.props, "outputs", "services");
        if (!isRecord(services)) continue;
        const given = peek(r.props, "name");
        const stack = typeof given === "string" ? given : r.name;
        for (const [service, o] of Object.entries(services)) {
            const name = isRecord(o) ? o.endpointServiceName : undefined;
            if (typeof name === "string" && name !== "") out.set(name, { service, stack });
        }
    }
    return out;
}

/**
 * The accounts of the shards `consumers` live in, where the environment's
 * catalog names one (`privatelink-platform:shards[].account`, a 12-digit id;
 * a shard without one deploys into the account of the credentials that run
 * Pulumi, and an account still { needsInput } is not known here).
 */
export function consumerShardAccounts(consumers: readonly string[], shards: unknown): string[] {
    const out = new Set<string>();
    for (const s of Array.isArray(shards) ? shards : []) {
        if (!isRecord(s) || !Array.isArray(s.services) || typeof s.account !== "string" || !/^\d{12}$/.test(s.account)) continue;
        if (consumers.some((c) => (s.services as unknown[]).includes(c))) out.add(s.account);
    }
    return [...out].sort();
}

/**
 * The account the catalog names for this stack's own shard
 * (`privatelink-platform:shard` among `shards`), if any. Such a shard is
 * deployed through a role in that account, so consumers in shards without an
 * account run in another account (the deploying credentials'), not in this
 * stack's.
 */
export function ownShardAccount(shard: unknown, shards: unknown): string | undefined {
    if (typeof shard !== "string") return undefined;
    const own = (Array.isArray(shards) ? shards : []).find((s) => isRecord(s) && s.name === shard);
    return isRecord(own) && typeof own.account === "string" && /^\d{12}$/.test(own.account) ? own.account : undefined;
}
