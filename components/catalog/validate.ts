import type { z } from "zod";
import { checkVpcCidr, subnetPrefix, usableAddresses, AWS_RESERVED_PER_SUBNET } from "./cidr";
import { CatalogProblem, CatalogValidationError } from "./errors";
import { PENDING_IMAGE, Catalog, platformSchema, Runtime, serviceSchema, ServiceSpec } from "./schema";
import { didYouMean } from "./suggest";
import { checkZoneIds } from "./zones";
import { checkStackName } from "./names";
import { DEPLOYING_ACCOUNT_KEY, extractNeedsInput } from "./needsInput";
import { isDocumentationAccount } from "../../policies/facts/documentation-values";
import { checkQuotaCodes } from "./quotas";
import { checkExpose } from "./expose";
import { checkSubscribers } from "./subscribers";
import { checkExternal } from "./external";
import { checkPrivateDns } from "./privateDns";
import { checkNeeds } from "./needs";
import { serviceEndpoints } from "../../policies/lib/service-needs";
import { checkCrossAccountZones, checkSelection, checkShards } from "./shards";
import { RUNTIME_NAMES, RUNTIME_ONLY_FIELDS, RuntimeModule, runtimeModule, runtimeOf, SubnetNeeds } from "../runtimes";

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
    /** `aws:allowedAccountIds`: the account the stack deploys into (see needsInput.ts, DEPLOYING_ACCOUNT_KEY). */
    allowedAccountIds?: unknown;
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
    const allowedAccountIds = checkAllowedAccountIds(extracted.allowedAccountIds, problems);
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
    for (const name of RUNTIME_NAMES) {
        runtimeModule(name).checkPlatform?.(rawPlatform, problems);
    }
    checkQuotaCodes(rawPlatform, problems);
    checkZoneIds(rawPlatform, entries.flatMap(e => runtimeOf(e.runtime)?.facts ?? []), problems);
    const needsInputPaths = new Set(extracted.needsInput.map(n => n.path));
    checkExpose(rawPlatform, entries, {
        projectDir: options.projectDir ?? process.cwd(),
        needsInputPaths,
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
        const runtime = runtimeOf(entry.runtime);
        const at = `services[${i}]`;
        const name = String(entry.name ?? at);
        runtime?.check?.(entry, { at, index: i, name, projectDir: options.projectDir ?? process.cwd() }, problems);
        if (typeof entry.cidr === "string") {
            checkCidr(`${at}.cidr`, entry.cidr, problems);
        }
        checkSubscribers(at, entry, needsInputPaths, problems);
        checkExternal(at, entry, given.region, needsInputPaths, problems);
        if (runtime) {
            checkRuntimeFields(at, entry, runtime, problems);
            // One endpoint ENI per zone for each consumed service and each external one.
            const consumes = (Array.isArray(entry.consumes) ? entry.consumes.length : 0) + (Array.isArray(entry.external) ? entry.external.length : 0);
            const cidr = typeof entry.cidr === "string" ? entry.cidr : platformCidr;
            const needs = runtime.subnet(interfaceEndpointsOf(runtime, entry, entries) + consumes, max, zones);
            // A floor on the subnet size (an ALB's /27) first; past it, the count.
            if (checkSubnetFloor(i, name, runtime, cidr, typeof entry.cidr === "string", needs, problems)) {
                checkCapacity(i, name, cidr, typeof entry.cidr === "string", needs.addresses, max, problems);
            }
        }
    });

    const pendingAccounts = new Set(extracted.needsInput.flatMap(n => /^shards\[(\d+)\]\.account$/.exec(n.path)?.[1] ?? []).map(Number));
    const shards = checkShards(raw.shards, known, given.region, problems, pendingAccounts);
    checkCrossAccountZones(rawPlatform, raw.shards, pendingAccounts, problems);
    const shard = checkSelection(given.shard, environment ?? "dev", options.stack, shards, problems);
    checkPrivateDns(entries, needsInputPaths, problems);
    checkNeeds(entries, {
        environment,
        shardOf: new Map((shards ?? []).flatMap(s => s.services.map(svc => [svc, s.name] as [string, string]))),
        acceptsTriggers: runtime => runtimeOf(runtime)?.triggers === true,
    }, problems);

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
            ...(allowedAccountIds !== undefined ? { allowedAccountIds } : {}),
            ...(shards && shards.length > 0 ? { shards } : {}),
            ...(shard !== undefined ? { shard } : {}),
        },
    };
}

/**
 * `aws:allowedAccountIds`, when given: a list of 12-digit account ids, as the
 * AWS provider's configuration takes it (`allowedAccountIds: string[]`,
 * @pulumi/aws 7.48.0 config/vars.d.ts and provider.d.ts). The engine hands the
 * stack's `aws:` keys to the default provider as text, and the bridge decodes
 * the text as JSON for a field that is not a string
 * (pulumi-terraform-bridge pkg/tfbridge/config_encoding.go,
 * convertStringToPropertyValue), so `pulumi config set aws:allowedAccountIds
 * 123456789012` reaches the provider as a number, not a list: refused here,
 * with the command that writes a list.
 */
function checkAllowedAccountIds(value: unknown, problems: CatalogProblem[]): string[] | undefined {
    if (value === undefined) return undefined;
    const fix = `set it as a list: pulumi config rm --path '${DEPLOYING_ACCOUNT_KEY}' && pulumi config set --path '${DEPLOYING_ACCOUNT_KEY}[0]' <12-digit account id>`;
    if (!Array.isArray(value) || value.length === 0) {
        problems.push({ path: DEPLOYING_ACCOUNT_KEY, message: `${JSON.stringify(value)} is not a list of account ids (the AWS provider reads a list); ${fix}` });
        return undefined;
    }
    const ids: string[] = [];
    value.forEach((v, i) => {
        const at = `${DEPLOYING_ACCOUNT_KEY}[${i}]`;
        if (typeof v !== "string" || !/^\d{12}$/.test(v)) {
            problems.push({ path: at, message: `${JSON.stringify(v)} is not a 12-digit AWS account id as a quoted string; pulumi config set --path '${at}' <12-digit account id>` });
        } else if (isDocumentationAccount(v)) {
            problems.push({ path: at, message: `${JSON.stringify(v)} is an AWS documentation example account that no one can deploy into; use the account of the credentials that run pulumi up (aws sts get-caller-identity --query Account)` });
        } else {
            ids.push(v);
        }
    });
    return ids.length === value.length ? ids : undefined;
}

/** Fields that belong to other runtimes, and the image a runtime requires. */
function checkRuntimeFields(at: string, entry: Record<string, unknown>, runtime: RuntimeModule, problems: CatalogProblem[]): void {
    const name = runtime.facts.name;
    for (const [field, runtimes] of Object.entries(RUNTIME_ONLY_FIELDS)) {
        if (entry[field] !== undefined && !(runtimes as readonly string[]).includes(name)) {
            problems.push({
                path: `${at}.${field}`,
                message: `only for runtime ${runtimes.join(" or ")} (this service is ${name}); remove it`,
            });
        }
    }
    if (runtime.image === "required" && entry.image === undefined) {
        problems.push({
            path: `${at}.image`,
            message:
                `is required for runtime ${name}: an ECR tag, { context: <dir> }, or "${PENDING_IMAGE}" for a new service ` +
                `whose first image is not pushed yet (see docs/deployability.md, first deployment)`,
        });
    }
}

function checkCidr(path: string, cidr: string, problems: CatalogProblem[]): void {
    const check = checkVpcCidr(cidr);
    if (!check.ok) {
        problems.push({ path, message: check.reason });
    }
}

/** Interface endpoints in a service's VPC: its runtime's and those its declared needs add (policies/lib/service-needs.ts). */
function interfaceEndpointsOf(runtime: RuntimeModule, entry: Record<string, unknown>, entries: Record<string, unknown>[]): number {
    return serviceEndpoints(runtime.facts.endpoints, String(entry.name ?? ""), entries).interface.length;
}

/**
 * What each zone's subnet must hold for a service of `runtime` (its
 * declaration's `subnet`): the NLB's node, one ENI per AWS-service endpoint
 * and per consumed service, and the runtime's own (tasks, an ALB, function ENIs).
 */
export function addressesNeededPerSubnet(runtime: Runtime, consumes: number, maxTasks: number, zones: number): number {
    const m = runtimeModule(runtime);
    return m.subnet(m.facts.endpoints.interface.length + consumes, maxTasks, zones).addresses;
}

/**
 * A runtime whose resources refuse small subnets (an ALB needs /27 or
 * larger): the VPC block must give subnets at least that large. Reported on
 * the service's own `cidr`, or on `platform.vpcCidr` it inherits. True when
 * the block passes (or is malformed, which is reported elsewhere).
 */
function checkSubnetFloor(i: number, name: string, runtime: RuntimeModule, cidr: string, ownCidr: boolean, needs: SubnetNeeds, problems: CatalogProblem[]): boolean {
    const check = checkVpcCidr(cidr);
    if (!needs.maxPrefix || !check.ok) {
        return true;
    }
    const prefix = subnetPrefix(check.prefix);
    if (prefix <= needs.maxPrefix.prefix) {
        return true;
    }
    const block = check.prefix - (prefix - needs.maxPrefix.prefix);
    problems.push({
        path: ownCidr ? `services[${i}].cidr` : "platform.vpcCidr",
        message: `${cidr} gives each zone a /${prefix} subnet, but ${name} (runtime ${runtime.facts.name}) ${needs.maxPrefix.why}: use a /${block} or larger block`,
    });
    return false;
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

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
