/**
 * Plans another revision of the repository: a temporary `git worktree` of the
 * ref, an install of that revision's own dependencies (cached by the hash of
 * its package-lock.json), and that revision's own `npm run plan --json`.
 *
 * Install strategies, cheapest first:
 *   shared  the ref's package-lock.json is byte-identical to the current
 *           checkout's and node_modules is installed here: the worktree links
 *           to this node_modules (same lock, same tree).
 *   cached  an earlier run installed this lock: the worktree links to the
 *           cached tree under the cache directory.
 *   cold    `npm ci` in the worktree, then the tree moves into the cache and
 *           the worktree links to it.
 * PLAN_BASE_NO_SHARE=1 skips `shared`. The cache directory is PLAN_BASE_CACHE, else ~/.cache/privatelink-platform/plan-base;
 * entries are keyed by platform, Node major version and the lock's SHA-256.
 * Workspace packages' own node_modules (package.json "workspaces") are cached
 * with the root's.
 */
import { execFileSync, spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readProject, readStackConfig, StackNotFoundError } from "../preview/config";

export type InstallStrategy = "shared" | "cached" | "cold";

export interface BasePlanOptions {
    /** The project directory of the current checkout (holds Pulumi.yaml). */
    projectDir: string;
    /** Git ref of the base revision (branch, tag, SHA, `origin/main`, `HEAD~1`). */
    ref: string;
    stack: string;
    mode: "preview" | "up";
    /** Install cache directory (default: PLAN_BASE_CACHE or ~/.cache/privatelink-platform/plan-base). */
    cacheDir?: string;
    /** Allow the `shared` strategy (default true). */
    shareInstall?: boolean;
    /** Receives progress lines (stderr in the CLI). */
    log?: (line: string) => void;
}

export interface BasePlanTimings {
    worktreeMs: number;
    installMs: number;
    planMs: number;
    totalMs: number;
}

export interface BasePlanResult {
    ref: string;
    commit: string;
    install: InstallStrategy;
    timings: BasePlanTimings;
    /** Where the base revision's project was checked out (removed since). */
    projectDir: string;
    /** Exit code of the base revision's plan. */
    exitCode: number;
    /** Its `--json` document (null when it printed none). */
    plan: Record<string, unknown> | null;
    /** Its stderr, when it failed. */
    stderr?: string;
    /** The stack's `config:` map as the base revision has it (for the cost estimate); undefined if the stack has no file there. */
    stackConfig?: Record<string, unknown>;
    /** The base revision has no stack file for the stack (it is new in this change); its plan was not run. */
    stackMissing: boolean;
}

export class BasePlanError extends Error {}

function git(cwd: string, args: string[]): string {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

export function defaultCacheDir(): string {
    return process.env.PLAN_BASE_CACHE || path.join(os.homedir(), ".cache", "privatelink-platform", "plan-base");
}

/** The cache key of an install: platform, Node major version, SHA-256 of the lock file. */
export function installKey(lockText: string): string {
    const sha = crypto.createHash("sha256").update(lockText).digest("hex").slice(0, 32);
    return `${process.platform}-${process.arch}-node${process.versions.node.split(".")[0]}-${sha}`;
}

/** Directories (relative to the root) that get a node_modules: the root and each workspace. */
function installDirs(root: string): string[] {
    const dirs = ["."];
    try {
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { workspaces?: string[] | { packages?: string[] } };
        const ws = Array.isArray(pkg.workspaces) ? pkg.workspaces : pkg.workspaces?.packages ?? [];
        for (const w of ws) if (!w.includes("*")) dirs.push(w);
    } catch {
        /* no package.json: nothing to install */
    }
    return dirs;
}

function link(target: string, at: string): void {
    fs.rmSync(at, { recursive: true, force: true });
    fs.symlinkSync(target, at, "dir");
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on("data", d => out.push(d));
        child.stderr.on("data", d => err.push(d));
        child.on("error", reject);
        child.on("close", code => resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
    });
}

/**
 * Makes `worktree` runnable: links or installs its dependencies. Returns the
 * strategy used.
 */
export async function installBase(worktree: string, currentProject: string, opts: { cacheDir: string; shareInstall: boolean; log: (l: string) => void }): Promise<InstallStrategy> {
    const lockFile = path.join(worktree, "package-lock.json");
    if (!fs.existsSync(lockFile)) throw new BasePlanError(`the base revision has no package-lock.json: cannot install it reproducibly (npm ci needs one)`);
    const lock = fs.readFileSync(lockFile, "utf8");
    const dirs = installDirs(worktree);
    const currentLock = path.join(currentProject, "package-lock.json");
    if (
        opts.shareInstall &&
        fs.existsSync(currentLock) &&
        fs.readFileSync(currentLock, "utf8") === lock &&
        fs.existsSync(path.join(currentProject, "node_modules", ".package-lock.json"))
    ) {
        for (const d of dirs) {
            const nm = path.join(currentProject, d, "node_modules");
            if (fs.existsSync(nm)) link(nm, path.join(worktree, d, "node_modules"));
        }
        return "shared";
    }
    const entry = path.join(opts.cacheDir, installKey(lock));
    const complete = path.join(entry, "complete");
    let strategy: InstallStrategy = "cached";
    if (!fs.existsSync(complete)) {
        strategy = "cold";
        opts.log(`installing the base revision's dependencies (npm ci; cached under ${entry})`);
        const r = await run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], worktree);
        if (r.code !== 0) throw new BasePlanError(`npm ci failed in the base revision (exit ${r.code}):\n${r.stderr.trim().split("\n").slice(-20).join("\n")}`);
        // Move the trees into a fresh directory, then publish it with one rename
        // (two runs racing: the loser keeps its own copy and discards it).
        fs.mkdirSync(opts.cacheDir, { recursive: true });
        const staging = fs.mkdtempSync(path.join(opts.cacheDir, ".staging-"));
        for (const d of dirs) {
            const nm = path.join(worktree, d, "node_modules");
            if (!fs.existsSync(nm)) continue;
            fs.mkdirSync(path.join(staging, d), { recursive: true });
            fs.renameSync(nm, path.join(staging, d, "node_modules"));
        }
        fs.writeFileSync(path.join(staging, "complete"), new Date().toISOString() + "\n");
        try {
            fs.renameSync(staging, entry);
        } catch {
            if (!fs.existsSync(complete)) throw new BasePlanError(`could not store the install in ${entry}`);
            fs.rmSync(staging, { recursive: true, force: true });
        }
    }
    for (const d of dirs) {
        const nm = path.join(entry, d, "node_modules");
        if (fs.existsSync(nm)) link(nm, path.join(worktree, d, "node_modules"));
    }
    return strategy;
}

/**
 * The repository holding `projectDir` and the commit `ref` names in it;
 * a BasePlanError when `ref` names no commit there. Cheap: the plan's command
 * line calls it before planning anything.
 */
export function resolveBaseCommit(projectDir: string, ref: string): { repoRoot: string; commit: string } {
    try {
        const repoRoot = git(projectDir, ["rev-parse", "--show-toplevel"]);
        const commit = git(projectDir, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
        return { repoRoot, commit };
    } catch {
        throw new BasePlanError(
            `'${ref}' is not a commit of the repository at ${projectDir}` +
                ` (in CI, check out with fetch-depth: 0 so the base branch's history is there)`,
        );
    }
}

/** Plans `ref` of the repository holding `projectDir`, in a temporary worktree that is removed afterwards. */
export async function planBase(opts: BasePlanOptions): Promise<BasePlanResult> {
    const log = opts.log ?? (() => undefined);
    const t0 = Date.now();
    const { repoRoot, commit } = resolveBaseCommit(opts.projectDir, opts.ref);
    const rel = path.relative(fs.realpathSync(repoRoot), fs.realpathSync(opts.projectDir));
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-base-"));
    const worktree = path.join(tmp, "wt");
    git(repoRoot, ["worktree", "add", "--detach", "--force", worktree, commit]);
    try {
        const t1 = Date.now();
        const baseProject = path.join(worktree, rel);
        const strategy = await installBase(baseProject, opts.projectDir, {
            cacheDir: opts.cacheDir ?? defaultCacheDir(),
            shareInstall: opts.shareInstall ?? process.env.PLAN_BASE_NO_SHARE !== "1",
            log,
        });
        const t2 = Date.now();
        const bin = path.join(baseProject, "tools", "preview", "bin.js");
        if (!fs.existsSync(bin)) throw new BasePlanError(`the base revision ${commit.slice(0, 12)} has no offline plan (tools/preview/bin.js)`);
        let stackConfig: Record<string, unknown> | undefined;
        let stackMissing = false;
        try {
            stackConfig = readStackConfig(readProject(baseProject), opts.stack);
        } catch (e) {
            stackMissing = e instanceof StackNotFoundError;
        }
        let r = { code: 2, stdout: "", stderr: `the base revision has no stack '${opts.stack}'` };
        if (!stackMissing) {
            log(`planning ${opts.ref} (${commit.slice(0, 12)}), stack ${opts.stack}, mode ${opts.mode}`);
            r = await run(process.execPath, [bin, "--stack", opts.stack, "--mode", opts.mode, "--json"], baseProject);
        }
        const t3 = Date.now();
        let plan: Record<string, unknown> | null = null;
        try {
            plan = r.stdout.trim() ? (JSON.parse(r.stdout) as Record<string, unknown>) : null;
        } catch {
            plan = null;
        }
        return {
            ref: opts.ref,
            commit,
            install: strategy,
            projectDir: baseProject,
            timings: { worktreeMs: t1 - t0, installMs: t2 - t1, planMs: t3 - t2, totalMs: t3 - t0 },
            exitCode: r.code,
            plan,
            stderr: r.code === 0 ? undefined : r.stderr.trim().split("\n").slice(-30).join("\n"),
            stackConfig,
            stackMissing,
        };
    } finally {
        // Unlink the linked installs first: nothing may delete through them.
        for (const d of installDirs(path.join(worktree, rel))) {
            const nm = path.join(worktree, rel, d, "node_modules");
            try {
                if (fs.lstatSync(nm).isSymbolicLink()) fs.unlinkSync(nm);
            } catch {
                /* not there */
            }
        }
        try {
            git(repoRoot, ["worktree", "remove", "--force", worktree]);
        } catch {
            /* removed below; `git worktree prune` cleans the record */
        }
        fs.rmSync(tmp, { recursive: true, force: true });
        try {
            git(repoRoot, ["worktree", "prune"]);
        } catch {
            /* best effort */
        }
    }
}
