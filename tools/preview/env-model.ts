/**
 * The environment model of a project for the offline environment plan: its
 * shards and declared edges, read from the environment's stack file through
 * the project's own catalog module (components/catalog: validateCatalog,
 * shardsOf), so the plan splits the environment exactly as the program does.
 */
import { FRONT_DOOR_CONSUMER } from "../../policies/lib/front-door";
import * as path from "path";
import { readProject, readStackConfig } from "./config";
import type { EnvEdge, EnvironmentModel, EnvShard, OutputContract } from "./env";
import { fakeAccountFor, shardStackConfig } from "./env";

/** What the plan uses of the project's components/catalog module. */
interface CatalogModule {
    validateCatalog(raw: Record<string, unknown>, options?: { projectDir?: string; stack?: string }): {
        services: Array<{ name: string; consumes: string[]; allowedPrincipals?: string[] }>;
        platform: unknown;
    };
    /** A catalog's declared edges, the front door's included (policies/lib/declared-edges.ts). */
    declaredEdges(services: unknown, platform: unknown): Array<{ consumer: string; provider: string }>;
    shardsOf(catalog: unknown): EnvShard[];
    /** What a shard reads of another's outputs and what its outputs depend on (components/catalog/shards.ts). */
    SHARD_OUTPUTS?: OutputContract;
}

/** A configuration value as the program reads it: structured values may arrive as JSON text. */
export function parsed(v: unknown): unknown {
    if (typeof v !== "string") return v;
    try {
        return JSON.parse(v);
    } catch {
        return v;
    }
}

/**
 * Reads `stacks/Pulumi.<env>.yaml`, validates its catalog with the project's
 * own validator (a CatalogValidationError lists every problem) and returns
 * its shards and edges. An environment that declares no shards is one shard:
 * its own stack (single-stack mode).
 */
export function loadEnvironment(projectDir: string, env: string, configFile?: string): EnvironmentModel {
    const project = readProject(projectDir);
    const ns = project.name;
    const given = readStackConfig(project, env, configFile);
    // A shard account left as { needsInput } is planned as a fake account of
    // its own (distinct per shard), written where the catalog names it, so the
    // program assumes the shard's role there and other shards admit it by id.
    const fakes = fakeShardAccounts(parsed(given[`${ns}:shards`]), env);
    const envConfig = withAccounts(given, ns, fakes);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const catalogModule = require(path.join(project.dir, "components", "catalog")) as CatalogModule;
    const region = typeof envConfig["aws:region"] === "string" ? (envConfig["aws:region"] as string) : "us-east-1";
    const catalog = catalogModule.validateCatalog({
        platform: parsed(envConfig[`${ns}:platform`]),
        services: parsed(envConfig[`${ns}:services`]),
        shards: parsed(envConfig[`${ns}:shards`]),
        environment: env,
        region,
    }, { projectDir: project.dir, stack: env });
    const shards = catalogModule.shardsOf(catalog).map(s => (fakes.has(s.name) ? { ...s, fakeAccount: true } : s));
    const shardOf = new Map<string, string>();
    for (const s of shards) for (const svc of s.services) shardOf.set(svc, s.name);
    // The catalog's declared edges (components/catalog declaredEdges): the API front door of a
    // stack consumes that stack's exposed services, so its shard is its provider's.
    const edges: EnvEdge[] = catalogModule.declaredEdges(catalog.services, catalog.platform).map(e => ({
        consumer: e.consumer,
        provider: e.provider,
        consumerShard: shardOf.get(e.consumer === FRONT_DOOR_CONSUMER ? e.provider : e.consumer)!,
        providerShard: shardOf.get(e.provider)!,
    }));
    const single = shards.length === 1 && shards[0].stack === env;
    return {
        env,
        region,
        shards,
        edges,
        envConfig,
        extraPrincipals: Object.fromEntries(catalog.services.map(s => [s.name, s.allowedPrincipals ?? []])),
        ...(catalogModule.SHARD_OUTPUTS ? { outputs: catalogModule.SHARD_OUTPUTS } : {}),
        stackConfigOf: shard => (single ? envConfig : withAccounts(shardStackConfig(project.dir, envConfig, env, shard, ns), ns, fakes)),
    };
}

function isNeedsInput(v: unknown): boolean {
    return v !== null && typeof v === "object" && "needsInput" in (v as Record<string, unknown>);
}

/** Shard name -> fake account, for each shard whose account the catalog leaves as { needsInput }. */
function fakeShardAccounts(shards: unknown, env: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const s of Array.isArray(shards) ? shards : []) {
        const shard = s as { name?: unknown; account?: unknown };
        if (typeof shard.name === "string" && isNeedsInput(shard.account)) out.set(shard.name, fakeAccountFor(env, shard.name));
    }
    return out;
}

/** A stack configuration whose shards' needsInput accounts are the given fake accounts. */
function withAccounts(config: Record<string, unknown>, ns: string, fakes: Map<string, string>): Record<string, unknown> {
    const key = `${ns}:shards`;
    const shards = parsed(config[key]);
    if (fakes.size === 0 || !Array.isArray(shards)) return config;
    const patched = shards.map(s => {
        const shard = s as { name?: string; account?: unknown };
        return typeof shard.name === "string" && fakes.has(shard.name) && isNeedsInput(shard.account) ? { ...shard, account: fakes.get(shard.name) } : s;
    });
    return { ...config, [key]: patched };
}
