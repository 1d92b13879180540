import type { z } from "zod";
import { checkVpcCidr, subnetPrefix, usableAddresses, AWS_RESERVED_PER_SUBNET } from "./cidr";
import { CatalogProblem, CatalogValidationError } from "./errors";
import {
    AVAILABLE_RUNTIMES,
    PENDING_IMAGE,
    Catalog,
    FARGATE_MEMORY_BY_CPU,
    platformSchema,
    GPU_FAMILY,
    INSTANCE_TYPE,
    Runtime,
    RUNTIME_ONLY_FIELDS,
    RUNTIMES,
    serviceSchema,
    ServiceSpec,
} from "./schema";
import { awsServiceEndpoints } from "./endpoints";
import { didYouMean } from "./suggest";
import { checkEcsEc2Service } from "./ecsEc2";
import { checkLambdaImageFields, checkLambdaSubnets, lambdaAddressesPerSubnet } from "./lambda";
import { checkEksPlatform, checkEksService } from "./eks";
import { checkZoneIds } from "./zones";
import { instanceTypeSatisfies, parsePlacement } from "./placement";
import { checkStackName } from "./names";
import { extractNeedsInput } from "./needsInput";
import { checkQuotaCodes } from "./quotas";
import { checkExpose } from "./expose";
import { checkCrossAccountZones, checkSelection, checkShards } from "./shards";
import * as fs from "fs";
import * as path from "path";

/** The two stack configuration keys the catalog is read from, as the program received them. */
export interface RawCatalog {
    platform?: unknown;
    services?: unknown;
    /** `privatelink-platform:shards`: the environment's shards (catalog/shards.ts). */
    shards?: unknown;
    /** `privatelink-platform:shard`: the shard this stack deploys (shard stacks only). */
    shard?: unknown;
    /** `privatelink-platform:environment`: the environment a shard stack belongs to; default: the stack name. */
    environment?: unknown;
    /** `aws:region`: the environment's region. */
    region?: string;
}

/**
 * Validates the raw stack configuration and returns the typed catalog, or
 * throws a CatalogValidationError listing every problem at once.
 */
export function validateCatalog(raw: RawCatalog, options: ValidateOptions = {}): Catalog {
    if (process.env[CATALOG_MEMO_ENV] === "1" && typeof raw.environment === "string") {
        const reused = fromMemo(raw, options);
        if (reused) return reused;
    }
    const problems = findProblems(raw, options);
    if (problems.problems.length > 0) {
        throw new CatalogValidationError(problems.problems);
    }
    return problems.catalog!;
}

/**
 * Set to "1" by the offline environment plan (tools/preview runPreview with
 * `reuseModules`), which runs this program hundreds of times in one process,
 * once or more per shard, over one environment's catalog: the environment's
 * catalog is validated once and reused, deeply frozen, and each run checks
 * only its shard selection. A real `pulumi up` runs the program once and
 * never sets it.
 */
export const CATALOG_MEMO_ENV = "PRIVATELINK_CATALOG_MEMO";
const MEMO_SIZE = 8;
const memo = new Map<string, Catalog>();

/**
 * The catalog from the memo plus this stack's shard selection, or undefined
 * when anything is wrong (then the caller validates in full and lists every
 * problem in order). Only for a stack that names its environment: the
 * environment's catalog then does not depend on the stack's name.
 */
function fromMemo(raw: RawCatalog, options: ValidateOptions): Catalog | undefined {
    const environmentWide: RawCatalog = { ...raw, shard: undefined };
    const key = JSON.stringify([environmentWide, options.projectDir ?? process.cwd()]);
    let base = memo.get(key);
    if (!base) {
        const found = findProblems(environmentWide, { ...options, stack: undefined });
        if (found.problems.length > 0) return undefined;
        base = deepFreeze(found.catalog!);
        if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value!);
        memo.set(key, base);
    }
    const problems: CatalogProblem[] = [];
    const shard = checkSelection(raw.shard, base.environment ?? "dev", options.stack, base.shards, problems);
    if (problems.length > 0) return undefined;
    return shard === undefined ? base : Object.freeze({ ...base, shard });
}

function deepFreeze<T>(v: T): T {
    if (v !== null && typeof v === "object" && !Object.isFrozen(v)) {
        Object.freeze(v);
        for (const x of Object.values(v as object)) deepFreeze(x);
    }
    return v;
}

export interface ValidateOptions {
    /** Where relative paths (Lambda code directories) are resolved; default: the working directory. */
    projectDir?: string;
    /**
     * The stack name: the environment's name unless the stack is a shard
     * (AWS names derive from the environment, checked when given), and the
     * `pulumi config` commands of needs-input values name it.
     */
    stack?: string;
}

/** Like validateCatalog, but returns the problems instead of throwing. */
export function findProblems(given: RawCatalog, options: ValidateOptions = {}): { problems: CatalogProblem[]; catalog?: Catalog } {
    // Values left as { needsInput: ... } plan as absent; they are listed on the catalog.
    const environment = typeof given.environment === "string" ? given.environment : options.stack;
    // Needs-input values are set in the environment file, from which shard files are generated.
    const extracted = extractNeedsInput(given, environment);
    const raw: RawCatalog = { platform: extracted.platform, services: extracted.services, shards: extracted.shards };
    const problems: CatalogProblem[] = [...extracted.problems];
    if (given.environment !== undefined && typeof given.environment !== "string") {
        problems.push({ path: "environment", message: "must be the name of the environment (its stack file stacks/Pulumi.<env>.yaml)" });
    }
    if (given.shard !== undefined && given.environment === undefined) {
        problems.push({ path: "environment", message: "is required in a shard stack: the environment whose catalog this is (regenerate the shard files: npm run shards)" });
    }
    if (environment !== undefined) {
        checkStackName(environment, problems);
    }

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
    const zones = Array.isArray(rawPlatform.zoneIds) ? rawPlatform.zoneIds.length
        : typeof rawPlatform.availabilityZones === "number" ? rawPlatform.availabilityZones : 2;
    checkCidr("platform.vpcCidr", platformCidr, problems);
    checkEksPlatform(rawPlatform, problems);
    checkQuotaCodes(rawPlatform, problems);
    checkZoneIds(rawPlatform, entries.some(e => e.runtime === "eks"), problems);
    checkExpose(rawPlatform, entries, {
        projectDir: options.projectDir ?? process.cwd(),
        needsInputPaths: new Set(extracted.needsInput.map(n => n.path)),
    }, problems);

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
        if (entry.runtime === "ecs-ec2") {
            checkEcsEc2Service(`services[${i}]`, entry, problems);
        }
        if (entry.runtime === "eks") {
            checkEksService(`services[${i}]`, entry, problems);
        }
        if (typeof entry.cidr === "string") {
            checkCidr(`services[${i}].cidr`, entry.cidr, problems);
        }
        if (typeof entry.runtime === "string" && isRuntime(entry.runtime)) {
            checkRuntimeFields(`services[${i}]`, entry, entry.runtime, options.projectDir ?? process.cwd(), problems);
        }
        if (typeof entry.runtime === "string" && isRuntime(entry.runtime)) {
            const consumes = Array.isArray(entry.consumes) ? entry.consumes.length : 0;
            const cidr = typeof entry.cidr === "string" ? entry.cidr : platformCidr;
            const need = addressesNeededPerSubnet(entry.runtime, consumes, max, zones);
            // A lambda service's ALB sets a minimum subnet size first; past it, the count.
            if (entry.runtime !== "lambda" || checkLambdaSubnets(i, String(entry.name ?? `services[${i}]`), cidr, typeof entry.cidr === "string", problems)) {
                checkCapacity(i, String(entry.name ?? `services[${i}]`), cidr, typeof entry.cidr === "string", need, max, problems);
            }
        }
    });

    const pendingAccounts = new Set(extracted.needsInput.flatMap(n => /^shards\[(\d+)\]\.account$/.exec(n.path)?.[1] ?? []).map(Number));
    const shards = checkShards(raw.shards, known, given.region, problems, pendingAccounts);
    checkCrossAccountZones(rawPlatform, raw.shards, pendingAccounts, problems);
    const shard = checkSelection(given.shard, environment ?? "dev", options.stack, shards, problems);

    problems.sort(byPath);
    if (problems.length > 0 || !platform) {
        return { problems };
    }
    // Named zones set the count.
    const withZones = platform.zoneIds ? { ...platform, availabilityZones: platform.zoneIds.length } : platform;
    return {
        problems,
        catalog: {
            platform: withZones,
            services: services as ServiceSpec[],
            needsInput: extracted.needsInput,
            ...(environment !== undefined ? { environment } : {}),
            ...(given.region !== undefined ? { region: given.region } : {}),
            ...(shards && shards.length > 0 ? { shards } : {}),
            ...(shard !== undefined ? { shard } : {}),
        },
    };
}

/** Fields that belong to other runtimes, and what each runtime requires. */
function checkRuntimeFields(
    at: string,
    entry: Record<string, unknown>,
    runtime: Runtime,
    projectDir: string,
    problems: CatalogProblem[],
): void {
    for (const [field, runtimes] of Object.entries(RUNTIME_ONLY_FIELDS)) {
        if (entry[field] !== undefined && !runtimes.includes(runtime)) {
            problems.push({
                path: `${at}.${field}`,
                message: `only for runtime ${runtimes.join(" or ")} (this service is ${runtime}); remove it`,
            });
        }
    }
    if (runtime !== "lambda" && entry.image === undefined) {
        problems.push({
            path: `${at}.image`,
            message:
                `is required for runtime ${runtime}: an ECR tag, { context: <dir> }, or "${PENDING_IMAGE}" for a new service ` +
                `whose first image is not pushed yet (see docs/deployability.md, first deployment)`,
        });
    }
    if ((runtime === "ecs-ec2" || runtime === "eks") && entry.instanceTypes === undefined) {
        problems.push({ path: `${at}.instanceTypes`, message: `is required for runtime ${runtime}, e.g. [m7i.large]` });
    }
    // Malformed types are reported by the schema; judge only well-formed ones here.
    const rawTypes: unknown[] = Array.isArray(entry.instanceTypes) ? entry.instanceTypes : [];
    const types = rawTypes.filter((t): t is string => typeof t === "string" && INSTANCE_TYPE.test(t));
    if (typeof entry.gpus === "number" && runtime === "ecs-ec2") {
        rawTypes.forEach((t, j) => {
            if (typeof t === "string" && INSTANCE_TYPE.test(t) && !GPU_FAMILY.test(t)) {
                problems.push({
                    path: `${at}.instanceTypes[${j}]`,
                    message: `${t} has no GPU, but the service asks for ${entry.gpus}; use a GPU family such as g5, g6 or p4d`,
                });
            }
        });
    }
    const placement = isRecord(entry.placement) ? entry.placement : {};
    if (Array.isArray(placement.constraints)) {
        placement.constraints.forEach((expr, j) => {
            const where = `${at}.placement.constraints[${j}]`;
            if (typeof expr !== "string") {
                return; // the schema reports it
            }
            const parsed = parsePlacement(expr);
            if (!parsed.ok) {
                problems.push({ path: where, message: parsed.reason });
                return;
            }
            if (!parsed.disjunction && types.length > 0 && !types.some(t => instanceTypeSatisfies(t, parsed.clauses))) {
                problems.push({
                    path: where,
                    message: `no task could be placed: none of the service's instance types (${types.join(", ")}) satisfies ${JSON.stringify(expr)}`,
                });
            }
        });
    }
    if (isRecord(entry.capacity) && typeof entry.capacity.min === "number" && typeof entry.capacity.max === "number" && entry.capacity.min > entry.capacity.max) {
        problems.push({
            path: `${at}.capacity`,
            message: `min (${entry.capacity.min}) is greater than max (${entry.capacity.max}); raise max or lower min`,
        });
    }
    if (runtime === "lambda") {
        checkLambdaImageFields(at, entry, problems);
        const fn = isRecord(entry.function) ? entry.function : undefined;
        const code = typeof fn?.code === "string" ? fn.code : undefined;
        if (entry.image !== undefined && code !== undefined) {
            problems.push({ path: `${at}.function.code`, message: "a function has either code or an image, not both; remove one" });
        } else if (entry.image === undefined && code === undefined) {
            problems.push({ path: `${at}.function.code`, message: "is required: a directory of this repository with the function's code (or set image)" });
        } else if (code !== undefined) {
            const dir = path.resolve(projectDir, code);
            if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
                problems.push({ path: `${at}.function.code`, message: `directory ${JSON.stringify(code)} does not exist (resolved to ${dir})` });
            }
        }
    }
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
    if (runtime === "lambda") {
        return lambdaAddressesPerSubnet(endpoints);
    }
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
