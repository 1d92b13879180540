/**
 * Bad input to `npm run plan`, found before anything is planned: output
 * paths, the services `--diagram-focus` names, and the git ref of `--base`.
 * Each problem is an InputError (exit code 2) naming the flag, the value and
 * what to do. Stack files are checked by reading them (config.ts,
 * StackFileError).
 */
import * as fs from "fs";
import * as path from "path";
import { didYouMean } from "../../components/catalog/suggest";

export class InputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "InputError";
    }
}

/**
 * That `file` can be written: its directory exists and is writable, and the
 * file itself, when it exists, is a writable regular file. Nothing is created.
 */
export function checkOutputPath(flag: string, file: string): void {
    const abs = path.resolve(file);
    const dir = path.dirname(abs);
    let dirStat: fs.Stats;
    try {
        dirStat = fs.statSync(dir);
    } catch {
        throw new InputError(`${flag}${flag.endsWith("=") ? "" : " "}${file}: the directory ${dir} does not exist; create it first or write the file elsewhere`);
    }
    if (!dirStat.isDirectory()) throw new InputError(`${flag}${flag.endsWith("=") ? "" : " "}${file}: ${dir} is not a directory`);
    if (fs.existsSync(abs)) {
        if (fs.statSync(abs).isDirectory()) throw new InputError(`${flag}${flag.endsWith("=") ? "" : " "}${file}: ${abs} is a directory; give a file name`);
        try {
            fs.accessSync(abs, fs.constants.W_OK);
        } catch {
            throw new InputError(`${flag}${flag.endsWith("=") ? "" : " "}${file}: ${abs} exists and is not writable`);
        }
        return;
    }
    try {
        fs.accessSync(dir, fs.constants.W_OK);
    } catch {
        throw new InputError(`${flag}${flag.endsWith("=") ? "" : " "}${file}: cannot create a file in ${dir} (no write permission)`);
    }
}

/**
 * That every service `--diagram-focus` names is in the stack's catalog
 * (`<project>:services`). A catalog without a readable service list is left
 * to the program's own validation, which reports it with its path.
 */
export function checkFocus(focus: readonly string[], stackConfig: Record<string, unknown>, project: string, stack: string): void {
    const services = stackConfig[`${project}:services`] ?? stackConfig.services;
    if (!Array.isArray(services)) return;
    const names = services
        .map(s => (s !== null && typeof s === "object" ? (s as { name?: unknown }).name : undefined))
        .filter((n): n is string => typeof n === "string");
    const unknown = focus.filter(f => !names.includes(f));
    if (unknown.length === 0) return;
    const each = unknown.map(u => `"${u}"${didYouMean(u, names)}`).join(", ");
    throw new InputError(`--diagram-focus: no service ${each} in stack '${stack}'; its services: ${[...names].sort().join(", ")}`);
}
