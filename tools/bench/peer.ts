import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/**
 * The peer CDK app of `npm run bench -- --peer` (tools/bench/cdk/) is its own
 * package: aws-cdk-lib and cdk-nag are over 200 MB, so the project's `npm ci`
 * never installs them; the bench installs them on first use, from the peer's
 * own lockfile.
 */
export const PEER_DIR = path.join(__dirname, "cdk");

/** The columns of `npm run bench -- --peer`'s table (docs/performance.md quotes it). */
export const PEER_TABLE_HEADER = "| services | our resources (AWS) | ours wall (s) | ours peak RSS (MB) | CDK resources | CDK+nag wall (s) | " +
    "CDK+nag peak RSS (MB) | ours / CDK wall (per round) | ours / CDK RSS | ours / CDK CPU | cdk-nag findings | our mandatory |";

/**
 * Whether the peer's node_modules holds exactly what its package-lock.json
 * pins: `missing` (never installed), `stale` (the lock changed since), or
 * `ok`. npm writes the tree it installed to node_modules/.package-lock.json
 * (npm docs, "package-lock.json": hidden lockfiles); every package of the lock
 * must be there with the same version and integrity.
 */
export function peerInstallState(dir: string = PEER_DIR): "missing" | "stale" | "ok" {
    const hidden = path.join(dir, "node_modules", ".package-lock.json");
    if (!fs.existsSync(hidden)) {
        return "missing";
    }
    type Lock = { packages?: Record<string, { version?: string; integrity?: string }> };
    const wanted = (JSON.parse(fs.readFileSync(path.join(dir, "package-lock.json"), "utf8")) as Lock).packages ?? {};
    const installed = (JSON.parse(fs.readFileSync(hidden, "utf8")) as Lock).packages ?? {};
    for (const [key, entry] of Object.entries(wanted)) {
        if (key === "") continue;
        const have = installed[key];
        if (!have || have.version !== entry.version || have.integrity !== entry.integrity) {
            return "stale";
        }
    }
    return "ok";
}

/** Installs the peer's pinned packages (`npm ci --prefix tools/bench/cdk`) unless they are already there. */
export function ensurePeerInstalled(dir: string = PEER_DIR, log: (line: string) => void = line => console.error(line)): void {
    const state = peerInstallState(dir);
    if (state === "ok") {
        return;
    }
    log(`installing the peer CDK app's packages (${state}): npm ci --prefix ${path.relative(process.cwd(), dir) || "."}`);
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const run = spawnSync(npm, ["ci", "--prefix", dir, "--no-audit", "--no-fund"], { stdio: ["ignore", "inherit", "inherit"] });
    if (run.status !== 0) {
        throw new Error(`npm ci --prefix ${dir} failed (${run.status ?? run.signal}); the peer needs aws-cdk-lib, constructs and cdk-nag from its package-lock.json`);
    }
    if (peerInstallState(dir) !== "ok") {
        throw new Error(`npm ci --prefix ${dir} finished but node_modules does not match ${path.join(dir, "package-lock.json")}`);
    }
}
