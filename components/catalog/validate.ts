import type { z } from "zod";
import { checkVpcCidr, subnetPrefix, usableAddresses, AWS_RESERVED_PER_SUBNET } from "./cidr";
import { CatalogProblem, CatalogValidationError } from "./errors";
import {
    AVAILABLE_RUNTIMES,
    Catalog,
    FARGATE_MEMORY_BY_CPU,
    platformSchema,
    Runtime,
    RUNTIMES,
    serviceSchema,
    ServiceSpec,
} from "./schema";
import { awsServiceEndpoints } from "./endpoints";
import { didYouMean } from "./suggest";

/** The two stack configuration keys the catalog is read from, as the program received them. */
export interface RawCatalog {
    platform?: unknown;
    services?: unknown;
}

/**
 * Validates the raw stack configuration and returns the typed catalog, or
 * throws a CatalogValidationError listing every problem at once.
 */
export function validateCatalog(raw: RawCatalog): Catalog {
    const problems = findProblems(raw);
    if (problems.problems.length > 0) {
        throw new CatalogValidationError(problems.problems);
    }
    return problems.catalog!;
}

/** Like validateCatalog, but returns the problems instead of throwing. */
export function findProblems(raw: RawCatalog): { problems: CatalogProblem[]; catalog?: Catalog } {
    const problems: CatalogProblem[] = [];

    const platformResult = platformSchema.safeParse(raw.platform ?? {});
    if (!platformResult.success) {
        problems.push(...fromZod("platform", raw.platform, platformResult.error, platformSchema.keyof().options));
    }

    if (raw.services === undefined) {
        problems.push({
            path: "services",
            message: "missing: add a privatelink-platform:services list to the stack file (see docs/catalog.md)",
        });
        return { problems };
    }
    if (!Array.isArray(raw.services)) {
        problems.push({ path: "services", message: "must be a list of services" });
        return { problems };
    }
    if (raw.services.length === 0) {
        problems.push({ path: "services", message: "is empty: declare at least one service" });
    }

    const services: (ServiceSpec | undefined)[] = raw.services.map((entry, i) => {
        const result = serviceSchema.safeParse(entry);
        if (!result.success) {
            problems.push(...fromZod(`services[${i}]`, entry, result.error, serviceSchema.keyof().options));
            return undefined;
        }
        return result.data;
    });

    // Cross-field checks look at the raw entries so they report even when an
    // unrelated field of the same service is malformed.
    const entries = raw.services.map(e => (isRecord(e) ? e : {}));
    const names = entries.map(e => (typeof e.name === "string" ? e.name : undefined));
    const known = names.filter((n): n is string => n !== undefined);

    const firstIndex = new Map<string, number>();
    names.forEach((name, i) => {
        if (name === undefined) {
            return;
        }
        const first = firstIndex.get(name);
        if (first !== undefined) {
            problems.push({
                path: `services[${i}].name`,
                message: `duplicate service name ${JSON.stringify(name)} (also services[${first}]); service names must be unique`,
            });
        } else {
            firstIndex.set(name, i);
        }
    });

    entries.forEach((entry, i) => {
        const name = names[i];
        if (typeof entry.runtime === "string" && isRuntime(entry.runtime) && !AVAILABLE_RUNTIMES.has(entry.runtime)) {
            problems.push({
                path: `services[${i}].runtime`,
                message:
                    `runtime ${JSON.stringify(entry.runtime)} is not available yet; ` +
                    `use one of ${[...AVAILABLE_RUNTIMES].join(", ")} for now`,
            });
        }
        if (Array.isArray(entry.consumes)) {
            const seen = new Set<string>();
            entry.consumes.forEach((target, j) => {
                const path = `services[${i}].consumes[${j}]`;
                if (typeof target !== "string") {
                    problems.push({ path, message: "must be the name of a service in the catalog" });
                    return;
                }
                if (target === name) {
                    problems.push({ path, message: `service ${JSON.stringify(name)} cannot consume itself; remove this entry` });
                } else if (!firstIndex.has(target)) {
                    problems.push({ path, message: `unknown service ${JSON.stringify(target)}${didYouMean(target, known)}` });
                } else if (seen.has(target)) {
                    problems.push({ path, message: `${JSON.stringify(target)} is listed twice; list each consumed service once` });
                }
                seen.add(target);
            });
        }
    });

    const platform = platformResult.success ? platformResult.data : undefined;
    const rawPlatform = isRecord(raw.platform) ? raw.platform : {};
    const platformCidr = typeof rawPlatform.vpcCidr === "string" ? rawPlatform.vpcCidr : platformSchema.shape.vpcCidr.parse(undefined);
    const zones = typeof rawPlatform.availabilityZones === "number" ? rawPlatform.availabilityZones : 2;
    checkCidr("platform.vpcCidr", platformCidr, problems);

    entries.forEach((entry, i) => {
        const scaling = isRecord(entry.scaling) ? entry.scaling : {};
        const min = typeof scaling.min === "number" ? scaling.min : 1;
        const max = typeof scaling.max === "number" ? scaling.max : 2;
        if (min > max) {
            problems.push({
                path: `services[${i}].scaling`,
                message: `min (${min}) is greater than max (${max}); raise max or lower min`,
            });
        }
        if (entry.runtime === "fargate") {
            const cpu = typeof entry.cpu === "number" ? entry.cpu : 256;
            const memory = typeof entry.memory === "number" ? entry.memory : 512;
            checkFargateSize(`services[${i}]`, cpu, memory, problems);
        }
        if (typeof entry.cidr === "string") {
            checkCidr(`services[${i}].cidr`, entry.cidr, problems);
        }
        if (typeof entry.runtime === "string" && isRuntime(entry.runtime)) {
            const consumes = Array.isArray(entry.consumes) ? entry.consumes.length : 0;
            const cidr = typeof entry.cidr === "string" ? entry.cidr : platformCidr;
            const need = addressesNeededPerSubnet(entry.runtime, consumes, max, zones);
            checkCapacity(i, String(entry.name ?? `services[${i}]`), cidr, typeof entry.cidr === "string", need, max, problems);
        }
    });

    problems.sort(byPath);
    if (problems.length > 0 || !platform) {
        return { problems };
    }
    return { problems, catalog: { platform, services: services as ServiceSpec[] } };
}

function checkCidr(path: string, cidr: string, problems: CatalogProblem[]): void {
    const check = checkVpcCidr(cidr);
    if (!check.ok) {
        problems.push({ path, message: check.reason });
    }
}

function checkFargateSize(path: string, cpu: number, memory: number, problems: CatalogProblem[]): void {
    const memories = FARGATE_MEMORY_BY_CPU[cpu];
    if (!memories) {
        problems.push({
            path: `${path}.cpu`,
            message: `${cpu} is not a Fargate CPU size; use one of ${Object.keys(FARGATE_MEMORY_BY_CPU).join(", ")}`,
        });
        return;
    }
    if (!memories.includes(memory)) {
        problems.push({
            path: `${path}.memory`,
            message:
                `${memory} MiB is not valid with cpu ${cpu} on Fargate; ` +
                (memories.length <= 4
                    ? `use one of ${memories.join(", ")} MiB`
                    : `use ${memories[0]}-${memories[memories.length - 1]} MiB in steps of ${memories[1] - memories[0]}`),
        });
    }
}

/**
 * Each zone's subnet must hold, at peak: the NLB's node, one ENI per AWS-service
 * endpoint and per consumed service, and twice the zone's share of tasks
 * (a rolling deployment starts new tasks before stopping old ones).
 */
export function addressesNeededPerSubnet(runtime: Runtime, consumes: number, maxTasks: number, zones: number): number {
    const endpoints = awsServiceEndpoints(runtime).interface.length + consumes;
    return 1 + endpoints + 2 * Math.ceil(maxTasks / Math.max(zones, 1));
}

function checkCapacity(
    i: number,
    name: string,
    cidr: string,
    ownCidr: boolean,
    need: number,
    maxTasks: number,
    problems: CatalogProblem[],
): void {
    const check = checkVpcCidr(cidr);
    if (!check.ok) {
        return; // already reported
    }
    const prefix = subnetPrefix(check.prefix);
    const have = prefix <= 28 ? usableAddresses(prefix) : 0;
    if (have >= need) {
        return;
    }
    let wanted = check.prefix;
    while (wanted > 16 && usableAddresses(subnetPrefix(wanted)) < need) {
        wanted--;
    }
    problems.push({
        path: ownCidr ? `services[${i}].cidr` : `platform.vpcCidr`,
        message:
            `${cidr} gives each zone a /${prefix} subnet with ${have} usable addresses, but ` +
            `${name} needs ${need} per zone (NLB, endpoints, and twice its share of ${maxTasks} tasks; ` +
            `AWS reserves ${AWS_RESERVED_PER_SUBNET} per subnet): use a /${wanted} or larger block`,
    });
}

/** Orders problems as a reader scans the file: platform first, then services by index. */
function byPath(a: CatalogProblem, b: CatalogProblem): number {
    return pathKey(a.path).localeCompare(pathKey(b.path));
}

function pathKey(path: string): string {
    return path.replace(/\[(\d+)\]/g, (_, n: string) => `[${n.padStart(6, "0")}]`);
}

function fromZod(prefix: string, input: unknown, error: z.ZodError, fields: readonly string[]): CatalogProblem[] {
    const out: CatalogProblem[] = [];
    for (const issue of error.issues) {
        const base = joinPath(prefix, issue.path);
        if (issue.code === "unrecognized_keys") {
            for (const key of issue.keys) {
                out.push({ path: joinPath(base, [key]), message: `unknown field${didYouMean(key, fields)}` });
            }
            continue;
        }
        if (issue.code === "invalid_type" && valueAt(input, issue.path) === undefined) {
            out.push({ path: base, message: "is required" });
            continue;
        }
        out.push({ path: base, message: issue.message });
    }
    return out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
    let value = input;
    for (const part of path) {
        if (typeof value !== "object" || value === null) {
            return undefined;
        }
        value = (value as Record<PropertyKey, unknown>)[part];
    }
    return value;
}

function joinPath(prefix: string, path: readonly PropertyKey[]): string {
    let out = prefix;
    for (const part of path) {
        out += typeof part === "number" ? `[${part}]` : `${out ? "." : ""}${String(part)}`;
    }
    return out;
}

function isRuntime(value: string): value is Runtime {
    return (RUNTIMES as readonly string[]).includes(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
