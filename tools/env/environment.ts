/**
 * An environment's shards and cross-shard edges, read from its stack file
 * (`stacks/Pulumi.<env>.yaml`) with the program's own catalog functions
 * (components/catalog: validateCatalog, shardsOf, crossShardEdges), so the
 * wave planner, `npm run env` and `npm run matrix` split the environment
 * exactly as the program does.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { Catalog, crossShardEdges, parseShardStackName, Shard, shardsOf, validateCatalog } from "../../components/catalog";
import type { WaveInput } from "./waves";

export const PROJECT = "privatelink-platform";

export interface Environment extends WaveInput {
    env: string;
    catalog: Catalog;
    shards: Shard[];
}

/** `config:` of a stack file's text (YAML), or {} when it has none. */
export function configOf(text: string, file: string): Record<string, unknown> {
    const doc = YAML.parse(text) as { config?: Record<string, unknown> } | null;
    const config = doc?.config ?? {};
    if (typeof config !== "object" || Array.isArray(config)) throw new Error(`${file}: config must be a map`);
    return config;
}

/** The catalog of an environment's stack configuration (throws a CatalogValidationError listing every problem). */
export function catalogOf(config: Record<string, unknown>, env: string, projectDir: string): Catalog {
    return validateCatalog({
        platform: config[`${PROJECT}:platform`],
        services: config[`${PROJECT}:services`],
        shards: config[`${PROJECT}:shards`],
        environment: env,
        region: typeof config["aws:region"] === "string" ? config["aws:region"] : undefined,
    }, { projectDir, stack: env });
}

/** The environment from its stack configuration. */
export function environmentFrom(config: Record<string, unknown>, env: string, projectDir: string): Environment {
    const catalog = catalogOf(config, env, projectDir);
    return { env, catalog, shards: shardsOf(catalog), edges: crossShardEdges(catalog) };
}

export function stacksDir(projectDir: string): string {
    return path.join(projectDir, "stacks");
}

/** Environment names: stack files `Pulumi.<env>.yaml` whose name is not a shard's `<env>.<shard>`. */
export function environmentNames(projectDir: string): string[] {
    return stackFileNames(projectDir).filter(s => parseShardStackName(s) === undefined);
}

/** Every stack with a file in stacks/ (environments and shards). */
export function stackFileNames(projectDir: string): string[] {
    return fs.readdirSync(stacksDir(projectDir))
        .map(f => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

export function stackFile(projectDir: string, stack: string): string {
    const dir = stacksDir(projectDir);
    return [`Pulumi.${stack}.yaml`, `Pulumi.${stack}.yml`].map(f => path.join(dir, f)).find(f => fs.existsSync(f))
        ?? path.join(dir, `Pulumi.${stack}.yaml`);
}

/** Loads `stacks/Pulumi.<env>.yaml` as an environment. */
export function loadEnvironment(projectDir: string, env: string): Environment {
    const file = stackFile(projectDir, env);
    if (!fs.existsSync(file)) {
        throw new Error(`no environment ${JSON.stringify(env)}: ${path.relative(projectDir, file)} does not exist; environments: ${environmentNames(projectDir).join(", ")}`);
    }
    return environmentFrom(configOf(fs.readFileSync(file, "utf8"), file), env, projectDir);
}
