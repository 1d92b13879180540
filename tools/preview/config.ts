/**
 * Reading a Pulumi project and one of its stack files, and turning the stack's
 * `config:` map into what the Pulumi CLI hands to a Node.js program: every
 * key fully qualified (`<namespace>:<name>`), every value a string
 * (structured values JSON-encoded), plus the list of keys holding secrets.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { DEPLOYING_ACCOUNT_KEY } from "../../policies/facts/aws-accounts";

/** Stands in for a `{secure: …}` value: its ciphertext cannot be decrypted offline. */
export function secretPlaceholder(key: string): string {
    return `[offline placeholder for secret ${key}]`;
}

/**
 * A stack file that cannot be read as one: it does not exist, is not YAML, or
 * is not a map. Bad input (the plan's exit code 2); the message names the file
 * and, for YAML errors, the line and column.
 */
export class StackFileError extends Error {
    constructor(message: string, public readonly file: string) {
        super(message);
        this.name = "StackFileError";
    }
}

export class StackNotFoundError extends StackFileError {
    constructor(
        public readonly stack: string,
        file: string,
        public readonly available: string[],
    ) {
        super(
            `no stack named '${stack}': ${file} does not exist; ` +
                (available.length > 0
                    ? `stacks found: ${available.join(", ")}`
                    : `no Pulumi.<stack>.yaml file exists in ${path.dirname(file)}`),
            file,
        );
        this.name = "StackNotFoundError";
    }
}

export interface ProjectInfo {
    dir: string;
    name: string;
    /** Absolute path of the directory holding the stack files. */
    stackConfigDir: string;
    /** Absolute path handed to `require` to start the program. */
    main: string;
    /** Project-level `config:` values (defaults), by fully-qualified key. */
    defaults: Record<string, unknown>;
}

export interface ProgramConfig {
    /** Fully-qualified key → string value, as `PULUMI_CONFIG` carries it. */
    config: Record<string, string>;
    /** Keys whose value is secret. */
    secretKeys: string[];
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
    if (value === undefined || value === null) return {};
    if (typeof value !== "object" || Array.isArray(value)) {
        throw new Error(`${what} must be a map`);
    }
    return value as Record<string, unknown>;
}

const projects = new Map<string, { stamp: string; project: ProjectInfo }>();

/** Reads `Pulumi.yaml` (or `Pulumi.yml`) in `projectDir` (again only when the file changed). */
export function readProject(projectDir: string): ProjectInfo {
    const dir = path.resolve(projectDir);
    const file = ["Pulumi.yaml", "Pulumi.yml"].map(f => path.join(dir, f)).find(f => fs.existsSync(f));
    if (!file) throw new Error(`no Pulumi.yaml in ${dir}: is --cwd a Pulumi project directory?`);
    const stat = fs.statSync(file);
    const stamp = `${stat.mtimeMs}|${stat.size}`;
    const cached = projects.get(file);
    if (cached?.stamp === stamp) return { ...cached.project, defaults: { ...cached.project.defaults } };
    const project = parseProject(dir, file);
    projects.set(file, { stamp, project });
    return { ...project, defaults: { ...project.defaults } };
}

function parseProject(dir: string, file: string): ProjectInfo {
    const doc = asRecord(YAML.parse(fs.readFileSync(file, "utf8")), file);
    const name = doc.name;
    if (typeof name !== "string" || name === "") throw new Error(`${file} has no project name`);
    const stackConfigDir = path.resolve(dir, typeof doc.stackConfigDir === "string" ? doc.stackConfigDir : ".");
    const defaults: Record<string, unknown> = {};
    for (const [key, decl] of Object.entries(asRecord(doc.config, `${file}: config`))) {
        // A declaration is either a bare value or {type, description, default, value}.
        let value: unknown = decl;
        if (decl !== null && typeof decl === "object" && !Array.isArray(decl)) {
            const d = decl as Record<string, unknown>;
            value = "value" in d ? d.value : d.default;
        }
        if (value !== undefined) defaults[qualifyKey(key, name)] = value;
    }
    return { dir, name, stackConfigDir, main: resolveMain(dir, doc.main), defaults };
}

/**
 * Where the Node.js language host starts: `main` from Pulumi.yaml (relative to
 * the project), else the directory, whose package.json `main` or index file
 * Node's own resolution picks.
 */
function resolveMain(dir: string, main: unknown): string {
    const base = path.resolve(dir, typeof main === "string" ? main : ".");
    return fs.existsSync(base) && fs.statSync(base).isDirectory() ? base + path.sep : base;
}

/** `services` → `<project>:services`; `aws:region` stays as it is. */
export function qualifyKey(key: string, project: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

export function stackFilePath(project: ProjectInfo, stack: string): string {
    return path.join(project.stackConfigDir, `Pulumi.${stack}.yaml`);
}

export function listStacks(project: ProjectInfo): string[] {
    if (!fs.existsSync(project.stackConfigDir)) return [];
    return fs
        .readdirSync(project.stackConfigDir)
        .map(f => /^Pulumi\.(.+)\.ya?ml$/.exec(f))
        .filter((m): m is RegExpExecArray => m !== null)
        .map(m => m[1])
        .sort();
}

/** The `config:` map of a stack file (an explicit path, or the stack's file in the project). */
export function readStackConfig(project: ProjectInfo, stack: string, configFile?: string): Record<string, unknown> {
    const file = configFile ? path.resolve(configFile) : stackFilePath(project, stack);
    if (!fs.existsSync(file)) {
        if (configFile) throw new StackFileError(`--config-file ${configFile}: ${file} does not exist`, file);
        throw new StackNotFoundError(stack, file, listStacks(project));
    }
    try {
        const doc = asRecord(parseYaml(file), file);
        return asRecord(doc.config, `${file}: config`);
    } catch (e) {
        if (e instanceof StackFileError) throw e;
        throw new StackFileError(`${file}: ${e instanceof Error ? e.message : String(e)}`, file);
    }
}

/** A YAML file's content; a syntax error names the file, line and column. */
function parseYaml(file: string): unknown {
    try {
        return YAML.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        if (e instanceof YAML.YAMLError) {
            const at = e.linePos?.[0];
            throw new StackFileError(`${file}${at ? `:${at.line}:${at.col}` : ""}: ${e.message}`, file);
        }
        throw e;
    }
}

function isSecure(value: unknown): value is { secure: string } {
    return (
        value !== null &&
        typeof value === "object" &&
        !Array.isArray(value) &&
        Object.keys(value).length === 1 &&
        typeof (value as { secure?: unknown }).secure === "string"
    );
}

/**
 * Replaces every `{secure: …}` inside a value by a placeholder and sorts object
 * keys (the CLI marshals maps with Go's encoding/json, which sorts them).
 * Returns the value and whether it held a secret.
 */
function normalise(value: unknown, key: string): [unknown, boolean] {
    if (isSecure(value)) return [secretPlaceholder(key), true];
    if (Array.isArray(value)) {
        let secret = false;
        const out = value.map(v => {
            const [n, s] = normalise(v, key);
            secret = secret || s;
            return n;
        });
        return [out, secret];
    }
    if (value !== null && typeof value === "object") {
        let secret = false;
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(value).sort()) {
            const [n, s] = normalise((value as Record<string, unknown>)[k], key);
            secret = secret || s;
            out[k] = n;
        }
        return [out, secret];
    }
    return [value, false];
}

/**
 * Turns a stack file's `config:` map (merged over project defaults) into the
 * configuration the CLI gives the program: scalars as strings, lists and
 * objects as JSON, secure values secret.
 */
export function toProgramConfig(
    projectName: string,
    stackConfig: Record<string, unknown>,
    defaults: Record<string, unknown> = {},
    memo?: ConfigMemo,
): ProgramConfig {
    const merged: Record<string, unknown> = { ...defaults };
    for (const [key, value] of Object.entries(stackConfig)) merged[qualifyKey(key, projectName)] = value;
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const key of Object.keys(merged).sort()) {
        const v = merged[key];
        const cached = memo && v !== null && typeof v === "object" ? memo.get(v)?.get(key) : undefined;
        const [text, secret] = cached ?? programValue(v, key);
        if (memo && v !== null && typeof v === "object" && !cached) {
            const perKey = memo.get(v) ?? new Map<string, [string | undefined, boolean]>();
            perKey.set(key, [text, secret]);
            memo.set(v, perKey);
        }
        if (text === undefined) continue;
        config[key] = text;
        if (secret) secretKeys.push(key);
    }
    return { config, secretKeys };
}

/**
 * Remembers a structured value's program form per value object and key, for
 * many runs over the same configuration objects (the environment plan): those
 * objects must not change in between.
 */
export type ConfigMemo = WeakMap<object, Map<string, [string | undefined, boolean]>>;

function programValue(v: unknown, key: string): [string | undefined, boolean] {
    const [value, secret] = normalise(v, key);
    if (value === null || value === undefined) return [undefined, secret];
    return [typeof value === "object" ? JSON.stringify(value) : String(value), secret];
}

/**
 * The account the offline plan simulates deploying into: `requested` (a
 * test's or the environment plan's choice), else the first account the stack
 * declares in `aws:allowedAccountIds` (the AWS provider runs only with
 * credentials of a listed account: terraform-provider-aws
 * internal/conns/config.go, ConfigureProvider, VerifyAccountIDAllowed), else
 * `fallback` (the fake cloud's own account). `pending` is true while the key
 * is still { needsInput: ... }: the plan then judges the stack as declaring
 * the simulated account, and says so.
 */
export function simulatedAccount(programConfig: Record<string, string>, fallback: string, requested?: string): { account: string; pending: boolean } {
    const text = programConfig[DEPLOYING_ACCOUNT_KEY];
    let value: unknown = text;
    try {
        value = text === undefined ? undefined : JSON.parse(text);
    } catch {
        // a plain string: not a list (the program refuses it, naming the key)
    }
    const pending = value !== null && typeof value === "object" && !Array.isArray(value) && "needsInput" in value;
    const declared = Array.isArray(value) && typeof value[0] === "string" && /^\d{12}$/.test(value[0]) ? value[0] : undefined;
    return { account: requested ?? declared ?? fallback, pending };
}

/** The program configuration the policy pack judges: a pending deploying account planned as the simulated one. */
export function judgedConfig(programConfig: Record<string, string>, simulated: { account: string; pending: boolean }): Record<string, string> {
    return simulated.pending ? { ...programConfig, [DEPLOYING_ACCOUNT_KEY]: JSON.stringify([simulated.account]) } : programConfig;
}
