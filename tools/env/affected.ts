/**
 * Which shards of an environment a change touches, and which follow: the one
 * selection behind CI's matrix (`npm run matrix`, ./matrix.ts) and the offline
 * plan of a change (`npm run plan -- --env <env> --changed <ref>`,
 * tools/preview/env-cli.ts).
 *
 * A change touches a shard through
 * - its stack file `stacks/Pulumi.<env>.<shard>.yaml`;
 * - its part of the environment file: its own services' catalog entries or
 *   its `shards` entry (the two versions compared entry by entry; without the
 *   base version every shard counts as touched), and the providers of an
 *   added or removed edge, of a moved consumer or of a consumer whose shard
 *   changed account (their principals and acceptances change); any other key
 *   (platform, Region) touches every shard of the environment;
 * - a service's files: `services/<service>/…`, and the files under
 *   `services/` or `schemas/` its catalog entry names (its function's code,
 *   its request schema);
 * - `policies/config/<env>.json`: every shard of the environment;
 * - anything else that is not ignored (the program, the policy pack,
 *   dependencies): every shard.
 * What is ignored depends on who asks: CI's previews ignore the offline
 * tooling (tools/preview among it), the offline plan does not (it is the
 * plan's judge) but ignores what no shard's plan reads.
 *
 * The shards that follow are the ones the wave planner runs again for it
 * (./waves.ts changeWaves): the consumers of a touched shard, which read its
 * outputs, and the providers that accept a touched shard's endpoints. CI
 * previews them all; the offline plan, which sees outputs, plans a follower
 * only when what it reads actually changed (and so on, transitively).
 */
import * as fs from "fs";
import * as path from "path";
import { CONFIG_NAMESPACE, parseShardStackName } from "../../components/catalog";
import { configOf, Environment, environmentFrom } from "../../components/catalog/environment";
import { changeWaves } from "./waves";

/** A change: the files it touches and their content before it. */
export interface Change {
    /** Paths relative to the project, `/`-separated, as `git diff --name-only` prints them. */
    changed: string[];
    /** The content of a path before the change (undefined: the file did not exist); absent: compare nothing, count whole files. */
    readBase?: (file: string) => string | undefined;
}

export interface AffectedOptions {
    /** Files that touch nothing for the one asking. */
    ignore: readonly RegExp[];
    /** The environment file's path in `changed` (default `stacks/Pulumi.<env>.yaml`). */
    envFile?: string;
}

/** The shards a change touches, and the shards that follow (the wave planner's dependents), each sorted. */
export interface Affected {
    touched: string[];
    follow: string[];
}

/**
 * The project paths under `services/` or `schemas/` a service's catalog entry
 * names (its function's code, its request schemas), normalised: the files
 * the program reads for it besides the shared code.
 */
export function namedFiles(spec: unknown): string[] {
    const out = new Set<string>();
    const visit = (v: unknown) => {
        if (typeof v === "string") {
            const p = path.posix.normalize(v.replace(/\\/g, "/")).replace(/\/$/, "");
            if (/^(services|schemas)\/./.test(p)) out.add(p);
        } else if (Array.isArray(v)) v.forEach(visit);
        else if (v !== null && typeof v === "object") Object.values(v).forEach(visit);
    };
    visit(spec);
    return [...out].sort();
}

/** The shards of one environment a change touches. */
export function touchedShards(projectDir: string, environment: Environment, change: Change, options: AffectedOptions): Set<string> {
    const env = environment.env;
    const envFile = options.envFile ?? `stacks/Pulumi.${env}.yaml`;
    const touched = new Set<string>();
    const every = environment.shards.map(s => s.name);
    const shardOf = new Map(environment.shards.flatMap(s => s.services.map(svc => [svc, s.name] as const)));
    const named = environment.catalog.services.map(svc => ({ name: svc.name, paths: namedFiles(svc) }));

    for (const file of change.changed.map(f => f.replace(/\\/g, "/"))) {
        const stackMatch = /^stacks\/Pulumi\.(.+)\.ya?ml$/.exec(file);
        const shardFile = stackMatch ? parseShardStackName(stackMatch[1]) : undefined;
        if (file === envFile || (shardFile && shardFile.env === env)) {
            // A shard the catalog no longer declares has nothing to preview (its stack is destroyed by hand; docs/scale.md).
            const scope = shardFile ? every.filter(s => s === shardFile.shard) : every;
            const head = file === envFile ? environment.config : fs.existsSync(path.join(projectDir, file)) ? configOf(fs.readFileSync(path.join(projectDir, file), "utf8"), file) : undefined;
            const changedShards = change.readBase && head
                // A shard file may carry a generated copy of the catalog: only its own part counts.
                ? environmentDiff(environment, head, change.readBase(file), projectDir)
                : scope;
            for (const s of changedShards.filter(s => scope.includes(s))) touched.add(s);
            continue;
        }
        if (stackMatch) continue; // another environment's file
        const policyConfig = /^policies\/config\/(.+)\.json$/.exec(file);
        if (policyConfig) {
            if (policyConfig[1] === env) every.forEach(s => touched.add(s));
            continue;
        }
        // A service's files: services/<service>/..., or a file under services/ or
        // schemas/ its entry names (its function's code, its request schema).
        if (/^(services|schemas)\//.test(file)) {
            const serviceDir = /^services\/([^/]+)\//.exec(file)?.[1];
            const owners = named.filter(n => n.name === serviceDir || n.paths.some(p => file === p || file.startsWith(`${p}/`)));
            for (const o of owners) touched.add(shardOf.get(o.name)!);
            // Code of no service deploys nothing; a schema no entry names falls through.
            if (owners.length > 0 || serviceDir !== undefined) continue;
        }
        if (options.ignore.some(re => re.test(file))) continue;
        every.forEach(s => touched.add(s));
    }
    return touched;
}

/**
 * The shards of an environment whose part of a stack file's catalog differs
 * from the base version of the file: their services' entries, their `shards`
 * entry; every shard when anything else differs or the base does not parse.
 */
export function environmentDiff(head: Environment, headConfig: Record<string, unknown>, baseText: string | undefined, projectDir: string): string[] {
    const everyShard = head.shards.map(s => s.name);
    if (baseText === undefined) return everyShard;
    let base: Environment;
    let baseConfig: Record<string, unknown>;
    try {
        baseConfig = configOf(baseText, "base");
        base = environmentFrom(baseConfig, head.env, projectDir);
    } catch {
        return everyShard;
    }
    const rest = (config: Record<string, unknown>) => JSON.stringify(Object.entries(config)
        .filter(([k]) => k !== `${CONFIG_NAMESPACE}:services` && k !== `${CONFIG_NAMESPACE}:shards`)
        .sort(([a], [b]) => a.localeCompare(b)));
    if (rest(baseConfig) !== rest(headConfig)) return everyShard;
    const entries = (config: Record<string, unknown>, key: string) => new Map(
        (Array.isArray(config[`${CONFIG_NAMESPACE}:${key}`]) ? config[`${CONFIG_NAMESPACE}:${key}`] as Array<{ name?: unknown }> : [])
            .map(e => [String(e?.name), JSON.stringify(e)]));
    const [baseServices, headServices] = [entries(baseConfig, "services"), entries(headConfig, "services")];
    const [baseShards, headShards] = [entries(baseConfig, "shards"), entries(headConfig, "shards")];
    const baseShardOf = new Map(base.shards.flatMap(s => s.services.map(svc => [svc, s.name] as const)));
    const out = new Set<string>();
    for (const shard of head.shards) {
        // An environment without shards is one shard named after it, with no `shards` entry.
        if (baseShards.get(shard.name) !== headShards.get(shard.name)) out.add(shard.name);
        for (const svc of shard.services) {
            if (baseServices.get(svc) !== headServices.get(svc) || baseShardOf.get(svc) !== shard.name) out.add(shard.name);
        }
    }
    // A service removed from the catalog is destroyed by the shard that held it.
    for (const [svc, shard] of baseShardOf) {
        if (!headServices.has(svc) && head.shards.some(s => s.name === shard)) out.add(shard);
    }
    // A provider's allowedPrincipals and acceptances derive from its consumers' declarations
    // (their `consumes`, their shard and its account): such a change also changes the shards
    // consumed from, before and after it. Applied in wave 1, they admit a new consumer account
    // before that consumer's endpoint is created in wave 2 (docs/scale.md, "The waves").
    const headShardOf = new Map(head.shards.flatMap(s => s.services.map(svc => [svc, s.name] as const)));
    const consumesOf = (env: Environment, svc: string) => env.catalog.services.find(x => x.name === svc)?.consumes ?? [];
    const accountOf = (entries: Map<string, string>, shard: string | undefined) => {
        const e = shard === undefined ? undefined : entries.get(shard);
        return e === undefined ? "" : JSON.stringify([(JSON.parse(e) as { account?: unknown }).account, (JSON.parse(e) as { role?: unknown }).role]);
    };
    for (const svc of new Set([...headShardOf.keys(), ...baseShardOf.keys()])) {
        const [before, after] = [consumesOf(base, svc), consumesOf(head, svc)];
        const moved = baseShardOf.get(svc) !== headShardOf.get(svc)
            || accountOf(baseShards, baseShardOf.get(svc)) !== accountOf(headShards, headShardOf.get(svc));
        // Moved or in another account: every provider it consumes; else the edges added or removed.
        const providers = moved ? [...before, ...after] : [...before.filter(p => !after.includes(p)), ...after.filter(p => !before.includes(p))];
        for (const provider of providers) {
            const providerShard = headShardOf.get(provider);
            if (providerShard !== undefined && providerShard !== headShardOf.get(svc)) out.add(providerShard);
        }
    }
    return everyShard.filter(s => out.has(s));
}

/** The shards a change touches in one environment, and the shards that follow (the wave planner's dependents). */
export function affectedShards(projectDir: string, environment: Environment, change: Change, options: AffectedOptions): Affected {
    const touched = touchedShards(projectDir, environment, change, options);
    if (touched.size === 0) return { touched: [], follow: [] };
    const plan = changeWaves(environment, touched);
    return { touched: [...touched].sort(), follow: [...plan.applied, ...plan.dependents].filter(s => !touched.has(s)).sort() };
}
