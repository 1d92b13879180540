/**
 * The GitHub Actions matrix of a change: which shard stacks to preview, and
 * which environments to bring up in waves on main.
 *
 *     npm run matrix -- --base origin/main           # git diff <base>...HEAD
 *     npm run matrix -- --files stacks/Pulumi.dev.yaml services/notifier/index.js
 *     npm run matrix -- --base "$BASE" --github-output "$GITHUB_OUTPUT"
 *
 * A change touches a shard through
 * - its stack file `stacks/Pulumi.<env>.<shard>.yaml`;
 * - its part of the environment file `stacks/Pulumi.<env>.yaml`: its own
 *   services' catalog entries or its `shards` entry (with `--base`, the two
 *   versions are compared entry by entry; with `--files` only, every shard of
 *   the environment counts as touched); any other key (platform, region) touches
 *   every shard of the environment;
 * - a service's code (`services/<dir>/`, matched to the service whose
 *   `function.code` is that directory, or the service named like it);
 * - `policies/config/<env>.json`: every shard of the environment;
 * - shared code (the program, the policy pack, dependencies, the workflow,
 *   anything not listed as offline-only below): every shard of every environment.
 * The preview matrix is those shards plus their dependents (the shards the
 * wave planner re-runs: consumers reading their outputs, providers accepting
 * their endpoints). The up matrix is one entry per environment, with the
 * touched shards; `npm run env -- up` plans and runs its waves.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CONFIG_NAMESPACE, parseShardStackName } from "../../components/catalog";
import { configOf, Environment, environmentFrom, environmentNames, loadEnvironment } from "../../components/catalog/environment";
import { changeWaves } from "./waves";

/** Paths that change nothing any stack deploys: checked offline by `npm test` only. */
export const OFFLINE_ONLY: RegExp[] = [
    /^docs\//, /\.md$/i, /^test\//, /^policies\/test\//, /^policies\/scripts\//,
    /^tools\/(preview|bench|insights|env)\//, /^\.ci\//, /^LICENSE$/, /^\.gitignore$/, /^\.mocharc/,
];

export interface PreviewEntry {
    env: string;
    shard: string;
    /** The Pulumi stack: `<env>.<shard>`, or `<env>` for an environment without shards. */
    stack: string;
    /** Why it is in the matrix: "touched" or "dependent". */
    reason: "touched" | "dependent";
}

export interface UpEntry {
    env: string;
    /** The touched shards, comma-separated, for `npm run env -- up --touched`. */
    touched: string;
}

export interface Matrix {
    preview: { include: PreviewEntry[] };
    up: { include: UpEntry[] };
    /** "true" when the preview matrix is not empty (a job with an empty matrix fails). */
    any: boolean;
}

export interface MatrixInput {
    projectDir: string;
    /** Paths relative to the project, as `git diff --name-only` prints them. */
    changed: string[];
    /** The content of a path before the change (undefined: the file did not exist); absent: compare nothing, count whole files. */
    readBase?: (file: string) => string | undefined;
}

/** The shards each environment's change touches (env -> shard names). */
export function touchedShards(input: MatrixInput): Map<string, Set<string>> {
    const { projectDir } = input;
    const envs = new Map<string, Environment>(environmentNames(projectDir).map(env => [env, loadEnvironment(projectDir, env)]));
    const touched = new Map<string, Set<string>>([...envs.keys()].map(env => [env, new Set<string>()]));
    const all = (env: string) => envs.get(env)?.shards.forEach(s => touched.get(env)!.add(s.name));

    for (const file of input.changed.map(f => f.replace(/\\/g, "/"))) {
        const stackMatch = /^stacks\/Pulumi\.(.+)\.ya?ml$/.exec(file);
        if (stackMatch) {
            const stack = stackMatch[1];
            const shard = parseShardStackName(stack);
            const env = shard?.env ?? stack;
            const environment = envs.get(env);
            if (!environment) continue; // an environment removed by the change: nothing left to preview
            // A shard the catalog no longer declares has nothing to preview (its stack is destroyed by hand; docs/scale.md).
            const scope = shard ? environment.shards.filter(s => s.name === shard.shard).map(s => s.name) : environment.shards.map(s => s.name);
            const changedShards = input.readBase && fs.existsSync(path.join(projectDir, file))
                // A shard file may carry a generated copy of the catalog: only its own part counts.
                ? environmentDiff(environment, configOf(fs.readFileSync(path.join(projectDir, file), "utf8"), file), input.readBase(file), projectDir)
                : scope;
            for (const s of changedShards.filter(s => scope.includes(s))) touched.get(env)!.add(s);
            continue;
        }
        const policyConfig = /^policies\/config\/(.+)\.json$/.exec(file);
        if (policyConfig) {
            all(policyConfig[1]);
            continue;
        }
        const serviceDir = /^services\/([^/]+)\//.exec(file);
        if (serviceDir) {
            for (const [env, environment] of envs) {
                for (const svc of environment.catalog.services) {
                    const code = (svc as { function?: { code?: string } }).function?.code;
                    const dir = code === undefined ? undefined : path.posix.normalize(code.replace(/\\/g, "/")).replace(/\/$/, "");
                    if (svc.name === serviceDir[1] || dir === `services/${serviceDir[1]}`) {
                        const shard = environment.shards.find(s => s.services.includes(svc.name));
                        if (shard) touched.get(env)!.add(shard.name);
                    }
                }
            }
            continue;
        }
        if (OFFLINE_ONLY.some(re => re.test(file))) continue;
        for (const env of envs.keys()) all(env);
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

/** The matrix for a change set. */
export function computeMatrix(input: MatrixInput): Matrix {
    const touched = touchedShards(input);
    const preview: PreviewEntry[] = [];
    const up: UpEntry[] = [];
    for (const [env, shards] of touched) {
        if (shards.size === 0) continue;
        const environment = loadEnvironment(input.projectDir, env);
        const plan = changeWaves(environment, shards);
        const stackOf = new Map(environment.shards.map(s => [s.name, s.stack]));
        for (const shard of [...plan.applied, ...plan.dependents].sort()) {
            preview.push({ env, shard, stack: stackOf.get(shard)!, reason: shards.has(shard) ? "touched" : "dependent" });
        }
        up.push({ env, touched: [...shards].sort().join(",") });
    }
    return { preview: { include: preview }, up: { include: up }, any: preview.length > 0 };
}

/** The files a change touches: `git diff --name-only <base>...HEAD`, and a reader of their base version. */
export function gitChange(projectDir: string, base: string): Pick<MatrixInput, "changed" | "readBase"> {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: projectDir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const changed = git("diff", "--name-only", `${base}...HEAD`).split("\n").filter(Boolean);
    const readBase = (file: string) => {
        try {
            return git("show", `${base}:${file}`);
        } catch {
            return undefined;
        }
    };
    return { changed, readBase };
}

export function parseMatrixArgs(argv: string[]): { base?: string; files?: string[]; githubOutput?: string } {
    const out: { base?: string; files?: string[]; githubOutput?: string } = {};
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--base") out.base = argv[++i];
        else if (a === "--github-output") out.githubOutput = argv[++i];
        else if (a === "--files") {
            out.files = [];
            while (i + 1 < argv.length && !argv[i + 1].startsWith("--")) out.files.push(argv[++i]);
        } else throw new Error(`unknown argument ${JSON.stringify(a)}; usage: npm run matrix -- --base <git-ref> | --files <path>... [--github-output <file>]`);
    }
    if ((out.base === undefined) === (out.files === undefined)) {
        throw new Error("give either --base <git-ref> or --files <path>...");
    }
    return out;
}

export function main(argv: string[], projectDir = path.resolve(__dirname, "..", "..")): number {
    let args: ReturnType<typeof parseMatrixArgs>;
    try {
        args = parseMatrixArgs(argv);
    } catch (err) {
        process.stderr.write(`${(err as Error).message}\n`);
        return 2;
    }
    const change = args.base !== undefined ? gitChange(projectDir, args.base) : { changed: args.files! };
    const matrix = computeMatrix({ projectDir, ...change });
    process.stdout.write(`${JSON.stringify(matrix, null, 2)}\n`);
    if (args.githubOutput) {
        fs.appendFileSync(args.githubOutput, [
            `preview=${JSON.stringify(matrix.preview)}`,
            `up=${JSON.stringify(matrix.up)}`,
            `any=${matrix.any}`,
            "",
        ].join("\n"));
    }
    return 0;
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
