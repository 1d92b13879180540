/**
 * The environment plan's cache of shard plans: what lets `npm run plan --
 * --env <env> --changed <ref>` plan only the shards a change can affect and
 * take every other shard's last outputs and findings from an earlier plan
 * (./env.ts `planEnvironment({ cache, reuse })`, docs/scale.md).
 *
 * Content-addressed. A shard's run is a function of
 * - the program's, the pack's and this planner's sources, the lock file and
 *   the Node version (`sourcesDigest`: every file of the project git knows
 *   of, ignored files excluded, but those listed in NOT_PLAN_INPUTS, which no
 *   shard's plan reads);
 * - its stack configuration, of which the catalog's `services` and `shards`
 *   lists count only by the entries the program declares the shard reads
 *   (components/catalog/shards.ts `shardCatalogSlices`), each with its
 *   position; the files those entries name (a function's code, a request
 *   schema); the pack's configuration of its environment
 *   (`policies/config/<env>.json`);
 * - its environment, stack, account and the project's directory, the mode of
 *   the run;
 * - what it read of other shards' outputs (each read fingerprinted, as the
 *   plan compares them).
 * All but the last make a shard's *static key* (`ShardKeys`). Two kinds of
 * entry:
 * - `results/<sha256(static key, reads)>.json`: a final run (its findings,
 *   quota rows, join facts, reachability records, outputs), found only by
 *   the exact inputs it was planned with;
 * - `outputs/<static key>.json`: the shard's last `up` run: the outputs other
 *   shards read of it and what it read itself. Used as a starting point only:
 *   the plan re-plans the shard whenever what it read differs from what its
 *   neighbours export now (./env.ts, as it does for any run), so an entry is
 *   never trusted beyond the inputs it records;
 * - `latest/<sha256(shard)>.json`: the static key of a shard's latest outputs
 *   entry. A shard the plan must plan anyway starts from those outputs, so
 *   that its neighbours, whose entries recorded reading them, are not
 *   planned again before its run tells whether its outputs changed.
 * A missing, unreadable or mismatched entry is a miss: the shard is planned.
 *
 * Entries are plain JSON (the pack's unknown marker as `toTransfer` writes
 * it), written atomically (a temporary file renamed), so a CI cache
 * (actions/cache) can save and restore the directory as it is.
 */
import { execFileSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { parsedConfigValue as parsed } from "../../components/catalog/environment";
import { namedFiles } from "../env/affected";
import { readProject } from "./config";
import { EnvironmentModel, fakeAccountFor, PlanCache } from "./env";
import { fromTransfer, ShardRunResult, toTransfer } from "./env-run";
import type { Mode } from "./monitor";

/** Bumped when what an entry holds, or how a key is made, changes. */
export const CACHE_FORMAT = 1;

/**
 * Project paths (relative, `/`-separated) that no shard's offline plan reads
 * as a source: documentation, tests, other tools, version control and
 * caches. The catalog (`stacks/`), service code (`services/`), request
 * schemas (`schemas/`) and the pack's per-environment configuration
 * (`policies/config/`) are read per shard instead: by the entries a shard
 * reads and the files they name, and by its environment.
 */
export const NOT_PLAN_INPUTS: readonly RegExp[] = [
    /^\.git(\/|$)/, /(^|\/)node_modules(\/|$)/, /^\.cache(\/|$)/, /^\.bench(\/|$)/, /^bin(\/|$)/,
    /^docs\//, /\.md$/i, /^test\//, /^policies\/test\//, /^policies\/scripts\//, /^\.github\//, /^\.ci\//,
    /^tools\/(bench|env|shards|deploy|package|facts)\//, /^LICENSE$/, /^\.gitignore$/, /^\.mocharc/,
    /^stacks\//, /^services\//, /^schemas\//, /^policies\/config\//,
];

/** Where the cache lives: `PRIVATELINK_PLAN_CACHE`, else `<project>/.cache/env-plan` (git-ignored). */
export function defaultCacheDir(projectDir: string): string {
    return process.env.PRIVATELINK_PLAN_CACHE || path.join(projectDir, ".cache", "env-plan");
}

function sha256(data: string | Buffer): string {
    return createHash("sha256").update(data).digest("hex");
}

/** Every file under `dir` (symbolic links followed), relative to `root`, skipping what `skip` matches. */
function filesUnder(root: string, rel: string, skip: (rel: string) => boolean, out: string[]): string[] {
    const abs = path.join(root, rel);
    let stat: fs.Stats;
    try {
        stat = fs.statSync(abs);
    } catch {
        return out; // a dangling link
    }
    if (stat.isFile()) {
        out.push(rel);
    } else if (stat.isDirectory()) {
        for (const name of fs.readdirSync(abs).sort()) {
            const child = rel === "" ? name : `${rel}/${name}`;
            if (!skip(child)) filesUnder(root, child, skip, out);
        }
    }
    return out;
}

function digestFiles(root: string, files: string[]): string {
    const h = createHash("sha256");
    for (const f of files) h.update(`${f}\0${sha256(fs.readFileSync(path.join(root, f)))}\0`);
    return h.digest("hex");
}

/**
 * The digest of everything every shard's plan shares: the project's files
 * but NOT_PLAN_INPUTS (the program, the pack, this planner, `Pulumi.yaml`,
 * `tsconfig.json`, `package.json` and the lock file), and the Node version.
 */
export function sourcesDigest(projectDir: string): string {
    const skip = (rel: string) => NOT_PLAN_INPUTS.some(re => re.test(rel) || re.test(`${rel}/`));
    const files = (projectFiles(projectDir) ?? filesUnder(projectDir, "", skip, [])).filter(f => !skip(f));
    return sha256(JSON.stringify({ format: CACHE_FORMAT, node: process.version, files: digestFiles(projectDir, files) }));
}

/**
 * The project's files as git sees them (tracked, and untracked but not
 * ignored: a log or a build directory the repository ignores is no source),
 * sorted; undefined outside a git checkout.
 */
function projectFiles(projectDir: string): string[] | undefined {
    try {
        const out = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: projectDir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 1 << 28 });
        // A tracked file deleted in the working tree is no source any more.
        return [...new Set(out.split("\0").filter(f => f !== "" && fs.existsSync(path.join(projectDir, f))))].sort();
    } catch {
        return undefined;
    }
}

/** What a shard key is made of besides the sources: see the module comment. */
export interface ShardKeyInput {
    env: string;
    shard: string;
    stack: string;
    /** The account the shard is planned as, when the plan chose one (a needsInput account). */
    accountId?: string;
    /** The shard's stack configuration, as its runs get it. */
    stackConfig: Record<string, unknown>;
    /** The entries of the catalog the shard reads (components/catalog/shards.ts), when the program declares them. */
    slice?: { services: readonly string[]; shards: readonly string[] };
}

/** Computes shard keys for one environment plan: the shared digests once, each shard's part on demand. */
export class ShardKeys {
    private readonly sources: string;
    private readonly packConfig: string;
    private readonly named = new Map<string, string>();
    private readonly statics = new Map<string, string>();

    /** `sources`: the digest of the shared sources (default `sourcesDigest(projectDir)`). */
    constructor(private readonly projectDir: string, private readonly namespace: string, env: string, sources = sourcesDigest(projectDir)) {
        this.sources = sources;
        const packConfig = path.join(projectDir, "policies", "config", `${env}.json`);
        this.packConfig = fs.existsSync(packConfig) ? sha256(fs.readFileSync(packConfig)) : "none";
    }

    /** The digest of a file or directory under services/ or schemas/ an entry names (memoised); "absent" when there is none. */
    private namedDigest(rel: string): string {
        let digest = this.named.get(rel);
        if (digest === undefined) {
            const files = filesUnder(this.projectDir, rel, r => /(^|\/)(node_modules|\.git)(\/|$)/.test(r), []);
            digest = files.length > 0 ? digestFiles(this.projectDir, files) : "absent";
            this.named.set(rel, digest);
        }
        return digest;
    }

    /**
     * A shard's static key for runs in `mode` (`full`: a final run, findings
     * kept; the outputs entry of an `up` run is shared by both).
     */
    staticKey(input: ShardKeyInput, mode: Mode, full: boolean): string {
        const id = `${input.shard}|${mode}|${full}`;
        const known = this.statics.get(id);
        if (known !== undefined) return known;
        const config: Record<string, unknown> = { ...input.stackConfig };
        const files: Record<string, string> = {};
        if (input.slice) {
            const pick = (key: string, names: readonly string[]) => {
                const list = parsed(config[key]);
                if (!Array.isArray(list)) return;
                const wanted = new Set(names);
                // Each entry with its position: values the catalog leaves as needsInput are named by it (`services[3].image`).
                config[key] = list.flatMap((e, i) => (wanted.has(String((e as { name?: unknown } | null)?.name)) ? [[i, e]] : []));
            };
            pick(`${this.namespace}:services`, input.slice.services);
            pick(`${this.namespace}:shards`, input.slice.shards);
        }
        // The files the entries name (services/, schemas/: no part of the shared sources).
        for (const rel of namedFiles(parsed(config[`${this.namespace}:services`]))) files[rel] = this.namedDigest(rel);
        const key = sha256(JSON.stringify({
            format: CACHE_FORMAT,
            sources: this.sources,
            packConfig: this.packConfig,
            project: this.projectDir,
            env: input.env,
            shard: input.shard,
            stack: input.stack,
            accountId: input.accountId ?? null,
            mode,
            full,
            config: Object.keys(config).sort().map(k => [k, parsed(config[k])]),
            files,
        }));
        this.statics.set(id, key);
        return key;
    }
}

/** A shard's last `up` run: what other shards read of it, and what it read. */
export interface OutputsEntry {
    /** Its stack outputs (wire form). */
    wire: Record<string, unknown>;
    /** What it read of other stacks, fingerprinted (read -> fingerprint, as ./env.ts compares them). */
    reads: Array<[string, string]>;
    /** The stacks it referenced (qualified names). */
    references: string[];
}

/** The on-disk cache of shard plans; every method answers undefined rather than throw on a bad entry. */
export class ShardCache {
    constructor(readonly dir: string) {}

    private file(kind: "outputs" | "results" | "latest", key: string): string {
        return path.join(this.dir, `v${CACHE_FORMAT}`, kind, `${key}.json`);
    }

    /** The address of a final run: its static key and the reads it was planned with. */
    static resultKey(staticKey: string, reads: ReadonlyArray<readonly [string, string]>): string {
        return sha256(JSON.stringify([staticKey, [...reads].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]));
    }

    private read<T>(kind: "outputs" | "results" | "latest", key: string): T | undefined {
        let text: string;
        try {
            text = fs.readFileSync(this.file(kind, key), "utf8");
        } catch {
            return undefined;
        }
        try {
            const doc = JSON.parse(text) as { key?: unknown; value?: unknown };
            return doc.key === key ? (fromTransfer(doc.value) as T) : undefined;
        } catch {
            return undefined; // torn or corrupt: a miss
        }
    }

    private write(kind: "outputs" | "results" | "latest", key: string, value: unknown): void {
        const file = this.file(kind, key);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify({ key, value: toTransfer(value) }));
        fs.renameSync(tmp, file);
    }

    outputs(staticKey: string): OutputsEntry | undefined {
        return this.read<OutputsEntry>("outputs", staticKey);
    }

    /** Saves a shard's last `up` run under its static key, and notes it as the latest of the shard (`identity`). */
    saveOutputs(staticKey: string, entry: OutputsEntry, identity: string): void {
        this.write("outputs", staticKey, entry);
        this.write("latest", sha256(identity), staticKey);
    }

    /**
     * The latest outputs entry saved for a shard (`identity`), whatever its
     * key: a starting guess for a shard that is planned anyway (its run
     * replaces it before anything that read it counts).
     */
    latestOutputs(identity: string): OutputsEntry | undefined {
        const key = this.read<string>("latest", sha256(identity));
        return typeof key === "string" ? this.outputs(key) : undefined;
    }

    result(staticKey: string, reads: ReadonlyArray<readonly [string, string]>): ShardRunResult | undefined {
        return this.read<ShardRunResult>("results", ShardCache.resultKey(staticKey, reads));
    }

    saveResult(staticKey: string, reads: ReadonlyArray<readonly [string, string]>, result: ShardRunResult): void {
        this.write("results", ShardCache.resultKey(staticKey, reads), result);
    }
}

/**
 * The cache of an environment plan: the store in `dir`, keys for the model's
 * shards (`sources`: the digest of the shared sources, default
 * `sourcesDigest(projectDir)`).
 */
export function planCache(projectDir: string, model: EnvironmentModel, dir = defaultCacheDir(projectDir), sources?: string): PlanCache {
    const keys = new ShardKeys(projectDir, readProject(projectDir).name, model.env, sources);
    return {
        store: new ShardCache(dir),
        keyOf: (shard, mode, full) => keys.staticKey({
            env: model.env,
            shard: shard.name,
            stack: shard.stack,
            ...(shard.accountNeedsInput ? { accountId: fakeAccountFor(model.env, shard.name) } : {}),
            stackConfig: model.stackConfigOf(shard),
            ...(model.slices?.get(shard.name) ? { slice: model.slices.get(shard.name)! } : {}),
        }, mode, full),
        identityOf: shard => JSON.stringify([projectDir, model.env, shard.stack]),
    };
}
