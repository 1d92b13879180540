import * as fs from "fs";
import * as path from "path";

/**
 * The peer rule sets' data (compliance-policies spec cases, checkov's check
 * lists) is not vendored: it lives in `shared/anchors` beside the clone, as
 * CI lays it out (`../shared`). A worktree looks beside each of its parent
 * directories too (`/work/wt/x` finds `/work/shared`). PRIVATELINK_ANCHORS
 * names the folder explicitly.
 *
 * Missing data fails the tests that need it, loudly: a run without it checks
 * less than it reports. Only PRIVATELINK_ANCHORS_OPTIONAL=1 lets them skip.
 */
export const ANCHORS_ENV = "PRIVATELINK_ANCHORS";
export const ANCHORS_OPTIONAL_ENV = "PRIVATELINK_ANCHORS_OPTIONAL";

const ROOT = path.resolve(__dirname, "../..");

/** The anchors folder, or undefined when none is found. */
export function anchorsDir(env: NodeJS.ProcessEnv = process.env, root: string = ROOT): string | undefined {
    if (env[ANCHORS_ENV]) {
        return env[ANCHORS_ENV];
    }
    for (let dir = root; ; dir = path.dirname(dir)) {
        const candidate = path.join(path.dirname(dir), "shared", "anchors");
        if (fs.existsSync(candidate)) {
            return candidate;
        }
        if (path.dirname(dir) === dir) {
            return undefined;
        }
    }
}

/**
 * The path of an anchors data file. Throws with what to do when it is
 * missing, unless skipping is allowed explicitly (then undefined: the caller
 * skips and says so).
 */
export function anchorFile(name: string, env: NodeJS.ProcessEnv = process.env, root: string = ROOT): string | undefined {
    const dir = anchorsDir(env, root);
    const file = dir ? path.join(dir, name) : undefined;
    if (file && fs.existsSync(file)) {
        return file;
    }
    if (env[ANCHORS_OPTIONAL_ENV] === "1") {
        return undefined;
    }
    throw new Error(
        `the anchors data ${name} is missing (looked in ${file ?? `shared/anchors beside ${root} and its parents`}): ` +
            `put the shared folder beside the clone (CI has ../shared), set ${ANCHORS_ENV} to the anchors folder, ` +
            `or set ${ANCHORS_OPTIONAL_ENV}=1 to skip the checks against the peer rule sets`,
    );
}
