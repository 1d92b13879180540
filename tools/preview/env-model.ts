/**
 * The environment model of a project for the offline environment plan: its
 * shards and declared edges, read from the environment's stack file through
 * the project's own catalog module (components/catalog: validateCatalog,
 * shardsOf), so the plan splits the environment exactly as the program does.
 */
import * as path from "path";
import { readProject, readStackConfig } from "./config";
import type { EnvEdge, EnvironmentModel, EnvShard } from "./env";
import { shardStackConfig } from "./env";

/** What the plan uses of the project's components/catalog module. */
interface CatalogModule {
    validateCatalog(raw: Record<string, unknown>, options?: { projectDir?: string; stack?: string }): {
        services: Array<{ name: string; consumes: string[]; allowedPrincipals?: string[] }>;
    };
    shardsOf(catalog: unknown): EnvShard[];
}

function parsed(v: unknown): unknown {
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
    const envConfig = readStackConfig(project, env, configFile);
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
    const shards = catalogModule.shardsOf(catalog);
    const shardOf = new Map<string, string>();
    for (const s of shards) for (const svc of s.services) shardOf.set(svc, s.name);
    const edges: EnvEdge[] = catalog.services.flatMap(s => s.consumes.map(p => ({ consumer: s.name, provider: p, consumerShard: shardOf.get(s.name)!, providerShard: shardOf.get(p)! })));
    const single = shards.length === 1 && shards[0].stack === env;
    return {
        env,
        region,
        shards,
        edges,
        envConfig,
        extraPrincipals: Object.fromEntries(catalog.services.map(s => [s.name, s.allowedPrincipals ?? []])),
        stackConfigOf: shard => (single ? envConfig : shardStackConfig(project.dir, envConfig, env, shard, ns)),
    };
}
