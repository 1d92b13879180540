/**
 * The environment model of a project for the offline environment plan, built
 * on the project's one environment loader (components/catalog/environment.ts:
 * its shards and declared edges, the front door's included, exactly as
 * `npm run env` and the program split the environment), plus what only the
 * offline plan adds: a fake account for each shard whose account is still
 * { needsInput }, and each shard's stack configuration.
 */
import * as path from "path";
import { parsedConfigValue as parsed } from "../../components/catalog/environment";
import { readProject, readStackConfig } from "./config";
import type { EnvEdge, EnvironmentModel, EnvShard, OutputContract } from "./env";
import { fakeAccountFor, shardStackConfig } from "./env";

/** What the plan uses of the project's components/catalog modules. */
interface CatalogModule {
    /** The one environment loader (components/catalog/environment.ts). */
    environmentFrom(config: Record<string, unknown>, env: string, projectDir?: string): {
        catalog: { region?: string; services: Array<{ name: string; allowedPrincipals?: string[] }> };
        shards: EnvShard[];
        edges: EnvEdge[];
    };
    /** What a shard reads of another's outputs and what its outputs depend on (components/catalog/shards.ts). */
    SHARD_OUTPUTS?: OutputContract;
    /** Per shard, the catalog entries its plan reads (components/catalog/shards.ts). */
    shardCatalogSlices?(catalog: unknown): Map<string, { services: string[]; shards: string[] }>;
}

/** The project's catalog modules (its own copy: the plan runs any program that follows the contract). */
function catalogModule(projectDir: string): CatalogModule {
    /* eslint-disable @typescript-eslint/no-require-imports */
    return {
        ...require(path.join(projectDir, "components", "catalog")),
        ...require(path.join(projectDir, "components", "catalog", "environment")),
    } as CatalogModule;
    /* eslint-enable @typescript-eslint/no-require-imports */
}

/**
 * Reads `stacks/Pulumi.<env>.yaml` (or `configFile`), loads it with the
 * project's environment loader (a CatalogValidationError lists every
 * problem) and returns the plan's model. An environment that declares no
 * shards is one shard: its own stack (single-stack mode).
 */
export function environmentModel(projectDir: string, env: string, configFile?: string): EnvironmentModel {
    const project = readProject(projectDir);
    const ns = project.name;
    const given = readStackConfig(project, env, configFile);
    // A shard account left as { needsInput } is planned as a fake account of
    // its own (distinct per shard), written where the catalog names it, so the
    // program assumes the shard's role there and other shards admit it by id.
    const fakes = fakeShardAccounts(parsed(given[`${ns}:shards`]), env);
    const envConfig = withAccounts(given, ns, fakes);
    const catalogs = catalogModule(project.dir);
    const environment = catalogs.environmentFrom(envConfig, env, project.dir);
    const region = typeof envConfig["aws:region"] === "string" ? (envConfig["aws:region"] as string) : "us-east-1";
    const shards = environment.shards.map(s => (fakes.has(s.name) ? { ...s, fakeAccount: true } : s));
    const single = shards.length === 1 && shards[0].stack === env;
    return {
        env,
        region,
        shards,
        edges: environment.edges,
        envConfig,
        extraPrincipals: Object.fromEntries(environment.catalog.services.map(s => [s.name, s.allowedPrincipals ?? []])),
        ...(catalogs.SHARD_OUTPUTS ? { outputs: catalogs.SHARD_OUTPUTS } : {}),
        ...(catalogs.shardCatalogSlices ? { slices: catalogs.shardCatalogSlices(environment.catalog) } : {}),
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

/**
 * The other stacks a single shard stack's offline plan takes to exist: every
 * shard stack of its environment, none deployed (each `{}`), by qualified
 * name. `npm run env -- init` (and the first step of `up` and `preview`,
 * and CI) creates them all before wave 1, so a StackReference between shards
 * never names a stack that does not exist; a reference to any other stack
 * fails as the engine's does (`unknown stack`). Empty for a stack that is
 * not a shard (its configuration names no `shard`).
 */
export function createdShardStacks(projectDir: string, stackConfig: Record<string, unknown>, qualify: (stack: string) => string): Map<string, Record<string, unknown>> {
    const project = readProject(projectDir);
    const ns = project.name;
    const env = stackConfig[`${ns}:environment`];
    if (typeof env !== "string" || stackConfig[`${ns}:shard`] === undefined) return new Map();
    let shards: EnvShard[];
    try {
        shards = catalogModule(project.dir).environmentFrom(stackConfig, env, project.dir).shards;
    } catch (e) {
        // An invalid catalog: the program refuses it before it reads any stack, listing every problem.
        if (e instanceof Error && e.name === "CatalogValidationError") return new Map();
        throw e;
    }
    return new Map(shards.map(s => [qualify(s.stack), {}]));
}
