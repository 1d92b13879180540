/**
 * What `npm run plan -- --env <env> --changed <ref>` compares: the files of
 * this checkout (working tree, uncommitted and untracked files included)
 * against the merge base of `<ref>` and HEAD, as `git diff` sees them, in
 * the form tools/env/affected.ts reads (the selection CI's matrix uses).
 *
 * The ref is resolved in the project's repository, and for the environment
 * file in the repository that holds it: the same one, unless `--config-file`
 * names a file in another (the bench keeps its synthetic catalog in a
 * repository of its own).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { Change } from "../env/affected";
import { stackFile } from "../../components/catalog/environment";
import { BasePlanError, resolveBaseCommit } from "../insights/base-plan";

export interface PlanChange extends Change {
    /** The ref as given, and the commit the change is measured from (the merge base with HEAD). */
    ref: string;
    commit: string;
    /** The environment file's key in `changed` (project-relative, or absolute outside the project). */
    envFile: string;
}

function git(cwd: string, args: string[]): string {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 28 });
}

/** The merge base of `commit` and HEAD in the repository at `cwd` (the commit itself when there is none). */
function mergeBase(cwd: string, commit: string): string {
    try {
        return git(cwd, ["merge-base", commit, "HEAD"]).trim();
    } catch {
        return commit;
    }
}

/** A file's content at `commit`, path relative to `cwd`; undefined when it did not exist there. */
function showAt(cwd: string, commit: string, rel: string): string | undefined {
    try {
        return git(cwd, ["show", `${commit}:./${rel.replace(/\\/g, "/")}`]);
    } catch {
        return undefined;
    }
}

/** The change of this checkout since `ref` (throws a BasePlanError naming what is wrong with the ref). */
export function changeSince(projectDir: string, env: string, ref: string, configFile?: string): PlanChange {
    const { commit: resolved } = resolveBaseCommit(projectDir, ref);
    const commit = mergeBase(projectDir, resolved);
    const lines = (s: string) => s.split("\n").filter(Boolean);
    const changed = new Set([
        ...lines(git(projectDir, ["diff", "--name-only", "--relative", commit])),
        ...lines(git(projectDir, ["ls-files", "--others", "--exclude-standard"])),
    ]);
    const envPath = path.resolve(configFile ?? stackFile(projectDir, env));
    const inProject = !path.relative(projectDir, envPath).startsWith("..");
    const envFile = inProject ? path.relative(projectDir, envPath).split(path.sep).join("/") : envPath;
    let envBase: string | undefined;
    if (inProject) {
        envBase = showAt(projectDir, commit, envFile);
    } else {
        const dir = path.dirname(envPath);
        let other: string;
        try {
            other = mergeBase(dir, resolveBaseCommit(dir, ref).commit);
        } catch (e) {
            throw new BasePlanError(`--changed ${ref}: the environment file ${envPath} is in no git repository that has that commit (${e instanceof Error ? e.message : String(e)})`);
        }
        envBase = showAt(dir, other, path.basename(envPath));
        if (envBase !== fs.readFileSync(envPath, "utf8")) changed.add(envFile);
    }
    return {
        ref,
        commit,
        envFile,
        changed: [...changed].sort(),
        readBase: file => (file === envFile ? envBase : showAt(projectDir, commit, file)),
    };
}
