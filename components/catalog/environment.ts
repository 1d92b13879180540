/**
 * The one loader of an environment: its stack file
 * (`stacks/Pulumi.<env>.yaml`), its validated catalog, its shards and its
 * declared edges, each with the shards of its two ends. `npm run env`, `npm
 * run matrix`, the shard generator (`npm run shards`) and the offline
 * environment plan (`npm run plan -- --env`, and a single shard's plan) all
 * read an environment through it, so they split it exactly as the program
 * does (shardsOf, declaredShardEdges: ./shards.ts).
 *
 * Plain functions, no Pulumi.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { CONFIG_NAMESPACE, DEPLOYING_ACCOUNT_KEY } from "./needsInput";
import type { Catalog } from "./schema";
import { declaredShardEdges, parseShardStackName, Shard, ShardEdge, shardsOf } from "./shards";
import { RawCatalog, validateCatalog } from "./validate";

export interface Environment {
    env: string;
    /** The `config:` map of the environment's stack file, as written. */
    config: Record<string, unknown>;
    catalog: Catalog;
    /** Its shards; an environment that declares none is one shard, its own stack. */
    shards: Shard[];
    /** Every declared edge (the front door's included), with the shards of its ends (./shards.ts declaredShardEdges). */
    edges: ShardEdge[];
}

/** No stack file for the environment. */
export class EnvironmentNotFoundError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "EnvironmentNotFoundError";
    }
}

/** The directory of the stack files (Pulumi.yaml `stackConfigDir: stacks`). */
export function stacksDir(projectDir: string): string {
    return path.join(projectDir, "stacks");
}

/** Every stack with a file in a directory of stack files (environments and shards), sorted. */
export function stackNamesIn(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir)
        .map(f => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** Every stack with a file in stacks/ (environments and shards), sorted. */
export function stackFileNames(projectDir: string): string[] {
    return stackNamesIn(stacksDir(projectDir));
}

/** Environment names in a directory of stack files: `Pulumi.<env>.yaml` whose name is not a shard's `<env>.<shard>`. */
export function environmentNamesIn(dir: string): string[] {
    return stackNamesIn(dir).filter(s => parseShardStackName(s) === undefined);
}

/** Environment names of the project (its stacks/ directory). */
export function environmentNames(projectDir: string): string[] {
    return environmentNamesIn(stacksDir(projectDir));
}

/** The file of a stack (`.yaml`, or `.yml` when only that exists). */
export function stackFile(projectDir: string, stack: string): string {
    const dir = stacksDir(projectDir);
    return [`Pulumi.${stack}.yaml`, `Pulumi.${stack}.yml`].map(f => path.join(dir, f)).find(f => fs.existsSync(f))
        ?? path.join(dir, `Pulumi.${stack}.yaml`);
}

/** `config:` of a stack file's text (YAML), or {} when it has none. */
export function configOf(text: string, file: string): Record<string, unknown> {
    const doc = YAML.parse(text) as { config?: Record<string, unknown> } | null;
    const config = doc?.config ?? {};
    if (typeof config !== "object" || Array.isArray(config)) throw new Error(`${file}: config must be a map`);
    return config;
}

/** A configuration value as the program reads it: structured values may arrive as JSON text. */
export function parsedConfigValue(v: unknown): unknown {
    if (typeof v !== "string") return v;
    try {
        return JSON.parse(v);
    } catch {
        return v;
    }
}

/** The raw catalog keys of a stack's `config:` map, as the program reads them. */
export function rawCatalog(config: Record<string, unknown>): RawCatalog {
    const key = (k: string) => `${CONFIG_NAMESPACE}:${k}`;
    const region = config["aws:region"];
    return {
        platform: parsedConfigValue(config[key("platform")]),
        services: parsedConfigValue(config[key("services")]),
        shards: parsedConfigValue(config[key("shards")]),
        ...(key("shard") in config ? { shard: config[key("shard")] } : {}),
        ...(key("environment") in config ? { environment: config[key("environment")] } : {}),
        ...(typeof region === "string" ? { region } : {}),
        ...(DEPLOYING_ACCOUNT_KEY in config ? { allowedAccountIds: parsedConfigValue(config[DEPLOYING_ACCOUNT_KEY]) } : {}),
    };
}

/**
 * The environment of a stack configuration (throws a CatalogValidationError
 * listing every problem). Without `projectDir` the files the catalog names
 * (request schemas) are not checked.
 */
export function environmentFrom(config: Record<string, unknown>, env: string, projectDir?: string): Environment {
    const { shard: _shard, environment: _environment, ...raw } = rawCatalog(config);
    const catalog = validateCatalog({ ...raw, environment: env }, { ...(projectDir !== undefined ? { projectDir } : {}), stack: env });
    return { env, config, catalog, shards: shardsOf(catalog), edges: declaredShardEdges(catalog) };
}

/** Loads `stacks/Pulumi.<env>.yaml` (or `file`, read as that environment's stack file). */
export function loadEnvironment(projectDir: string, env: string, file?: string): Environment {
    const at = file ? path.resolve(file) : stackFile(projectDir, env);
    if (!fs.existsSync(at)) {
        throw new EnvironmentNotFoundError(file
            ? `config file ${at} does not exist`
            : `no environment ${JSON.stringify(env)}: ${path.relative(projectDir, at)} does not exist; environments: ${environmentNames(projectDir).join(", ") || "none"}`);
    }
    return environmentFrom(configOf(fs.readFileSync(at, "utf8"), at), env, projectDir);
}
