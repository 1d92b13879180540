import { configValue } from "./stack-config";
import { asStrings, get, isRecord, str } from "./values";

/**
 * The shard view of the stack's configuration (components/catalog/shards.ts,
 * docs/scale.md): a shard stack holds the environment's whole catalog plus
 * `privatelink-platform:shard`, and declares only its shard's services. Rules
 * read it to judge this stack's half of an edge and leave the other half to
 * the stack that deploys it (the offline environment plan sees both).
 */
export interface ShardView {
    /** The stack's shard. */
    shard: string;
    /** Services this stack declares. */
    local: Set<string>;
    /** Shard name of every service of the environment. */
    shardOf: Map<string, string>;
    /** The account each shard names (absent: the account of the credentials that run Pulumi; needs-input: unknown). */
    accountOf: Map<string, string | undefined>;
}

/** The view, or undefined for a stack that deploys every service (single-stack mode). */
export function shardView(): ShardView | undefined {
    const shard = str(configValue("shard"));
    const shards = configValue("shards");
    if (!shard || !Array.isArray(shards)) return undefined;
    const shardOf = new Map<string, string>();
    const accountOf = new Map<string, string | undefined>();
    for (const s of shards) {
        const name = str(get(s, "name"));
        if (!name || !isRecord(s)) continue;
        for (const service of asStrings(get(s, "services"))) shardOf.set(service, name);
        const account = get(s, "account");
        accountOf.set(name, typeof account === "string" && /^\d{12}$/.test(account) ? account : undefined);
    }
    const local = new Set([...shardOf].filter(([, s]) => s === shard).map(([service]) => service));
    return { shard, local, shardOf, accountOf };
}

/** Services of the environment this stack does not declare (empty in single-stack mode). */
export function remoteServices(): string[] {
    const view = shardView();
    return view ? [...view.shardOf.keys()].filter((s) => !view.local.has(s)).sort() : [];
}
