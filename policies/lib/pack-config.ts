/**
 * Which --policy-pack-config file belongs to a stack: `config/<environment>.json`
 * in this pack, where a shard stack's environment is its
 * `privatelink-platform:environment` setting (`dev.payments` → `dev`) and any
 * other stack is its own environment (`prod` → `prod`). One function, used by
 * the pack's offline entry point (evaluate.ts, when no config is given) and
 * by the project's `npm run preview` / `npm run up` wrappers, so the real
 * engine and the offline plan judge a stack with the same configuration.
 */
import * as fs from "fs";
import * as path from "path";

/** The directory that holds the per-environment configuration files. */
export const PACK_CONFIG_DIR = path.join(__dirname, "..", "config");

/** The environment a stack belongs to. */
export function environmentOfStack(stack: string, environment?: unknown): string {
    return typeof environment === "string" && environment !== "" ? environment : stack;
}

/** The stack's pack configuration file (absolute path; it may not exist). Undefined for a name that is not a stack name. */
export function packConfigFile(stack: string, environment?: unknown): string | undefined {
    const env = environmentOfStack(stack, environment);
    if (!/^[A-Za-z0-9_.-]+$/.test(env)) return undefined;
    return path.join(PACK_CONFIG_DIR, `${env}.json`);
}

/** The stack's pack configuration, or undefined when its file does not exist. */
export function readPackConfig(stack: string | undefined, environment?: unknown): Record<string, unknown> | undefined {
    const file = stack ? packConfigFile(stack, environment) : undefined;
    return file && fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>) : undefined;
}
