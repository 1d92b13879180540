/**
 * Shards: how one environment's catalog is split over several stacks.
 *
 * The environment file (`stacks/Pulumi.<env>.yaml`) stays the single source
 * of truth. Besides `platform` and `services` it may list its shards:
 *
 *     privatelink-platform:shards:
 *       - name: storefront                    # a team's services
 *         services: [web, orders, catalog]
 *       - name: search                        # one service
 *         services: [search]
 *         account: { needsInput: "..." }      # another AWS account ...
 *         role: privatelink-deployer          # ... deployed by assuming this role there
 *
 * The stack `<env>` (the environment file itself) still declares every
 * service: today's single-stack mode. A shard stack `<env>.<shard>`
 * (`stacks/Pulumi.<env>.<shard>.yaml`, generated from the environment file by
 * `npm run shards`) holds the same catalog plus `privatelink-platform:environment`
 * and `privatelink-platform:shard`, and declares only its shard's services.
 * An environment is deployed either as its one stack or as its shards.
 *
 * Plain functions, no Pulumi: the program, the offline environment plan and
 * the wave planner all read shards through these.
 */
import { z } from "zod";
import type { CatalogProblem } from "./errors";
import type { Catalog, ServiceSpec } from "./schema";
import { FRONT_DOOR_CONSUMER } from "./expose";
import { declaredEdges, DeclaredEdge } from "../../policies/lib/declared-edges";
import { didYouMean } from "./suggest";
import { isDocumentationAccount } from "../../policies/facts/documentation-values";
import { readsPlatformField, RUNTIME_PLATFORM_FIELDS } from "../runtimes";

/** Shard names: they end stack names (`<env>.<shard>`) and file names. */
export const SHARD_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** IAM role names (IAM User Guide, IAM name requirements: 1-64 of `\w+=,.@-`), optionally with a path. */
const ROLE_NAME = /^(\/[\w+=,.@-]+)*\/?[\w+=,.@-]{1,64}$/;
const ACCOUNT_ID = /^\d{12}$/;

export const shardSchema = z.strictObject({
    name: z.string().regex(SHARD_NAME, {
        error: iss => `${JSON.stringify(iss.input)} is not a shard name: use lowercase letters, digits and single hyphens (it ends the stack name <env>.<shard>)`,
    }).max(40, { error: "must be at most 40 characters (it ends the stack name <env>.<shard>)" }),
    /** The services this shard's stack declares: one service, or a team's. */
    services: z.array(z.string()).min(1, { error: "must list at least one service" }),
    /** The AWS account the shard deploys into; default: the account of the credentials that run Pulumi. */
    account: z.string({ error: "must be a 12-digit AWS account id, as a quoted string (or { needsInput: ... })" })
        .regex(ACCOUNT_ID, { error: iss => `${JSON.stringify(iss.input)} is not a 12-digit AWS account id` })
        .refine(a => !isDocumentationAccount(a), {
            error: iss => `${JSON.stringify(iss.input)} is an AWS documentation example account that no one can deploy into; use the real account id or leave it as { needsInput: "..." }`,
        })
        .optional(),
    /** The role assumed in `account` (name or path/name): the shard's resources are created with it. */
    role: z.string().regex(ROLE_NAME, { error: iss => `${JSON.stringify(iss.input)} is not an IAM role name (e.g. privatelink-deployer)` }).optional(),
    /**
     * The read-only role assumed in `account` by a preview (name or path/name):
     * a preview never holds the deploy role's rights (docs/scale.md, "Accounts").
     */
    previewRole: z.string().regex(ROLE_NAME, { error: iss => `${JSON.stringify(iss.input)} is not an IAM role name (e.g. privatelink-previewer)` }).optional(),
    /** The shard's region; must be the environment's (see checkShards). */
    region: z.string().optional(),
});

export type ShardSpec = z.output<typeof shardSchema>;

/** One shard as every tool sees it (the issue-11 contract). */
export interface Shard {
    name: string;
    /** Its stack: `<env>.<shard>`, or `<env>` for the whole environment. */
    stack: string;
    services: string[];
    /** Its AWS account, when the catalog names one (undefined while it is { needsInput: ... }). */
    account?: string;
    /** True while the account is left as { needsInput: ... }. */
    accountNeedsInput?: boolean;
    region?: string;
    /** The role Pulumi assumes to deploy the shard, when the account and role are known. */
    roleArn?: string;
    /** The read-only role a preview of the shard assumes, when the account and preview role are known. */
    previewRoleArn?: string;
}

/**
 * What a shard stack reads of another shard's stack outputs, and what its
 * own outputs are computed from: the contract between the shard wiring
 * (components/shardWiring.ts reads exactly these keys) and the offline
 * environment plan (tools/preview/env.ts, which shows a shard only these keys
 * of its neighbours and re-plans it only when they change).
 *
 * - A consumer shard reads its provider shard's `services` (endpoint service
 *   name and id, zone ids) and `declaredPrincipals` (whom each endpoint
 *   service admits: an edge the provider does not admit yet is skipped); a
 *   provider shard reads its consumer shard's `endpoints` (the endpoint ids
 *   it accepts).
 * - The stack outputs other shards read (`services`, `declaredPrincipals`,
 *   `endpoints`) are computed from what the stack read of `services` and
 *   `declaredPrincipals` only: the endpoints it creates depend on its
 *   providers' names and admissions, while what it reads of its
 *   consumers' `endpoints` only becomes connection accepters, which no other
 *   stack reads. test/preview/env.test.ts checks this against a plan that
 *   re-plans on every change.
 */
export const SHARD_OUTPUTS = {
    consumerReads: ["services", "declaredPrincipals"],
    providerReads: ["endpoints"],
    outputsDependOn: ["services", "declaredPrincipals"],
} as const;

/** An edge `consumer -> provider` whose two ends live in different shards. */
export interface CrossShardEdge {
    consumer: string;
    provider: string;
    consumerShard: string;
    providerShard: string;
}

/** The stack of one shard of an environment. Pulumi stack names accept '.'. */
export function shardStackName(env: string, shard: string): string {
    return `${env}.${shard}`;
}

/** `dev.storefront` → { env: "dev", shard: "storefront" }; undefined for an environment stack. */
export function parseShardStackName(stack: string): { env: string; shard: string } | undefined {
    const i = stack.indexOf(".");
    return i > 0 ? { env: stack.slice(0, i), shard: stack.slice(i + 1) } : undefined;
}

/** The environment a catalog belongs to (its stack name in single-stack mode). */
export function environmentOf(catalog: Pick<Catalog, "environment">): string {
    return catalog.environment ?? "dev";
}

/** The AWS partition of a region (ARNs in China and GovCloud differ). */
export function partitionOf(region: string | undefined): string {
    if (region?.startsWith("cn-")) return "aws-cn";
    if (region?.startsWith("us-gov-")) return "aws-us-gov";
    if (region?.startsWith("us-iso-")) return "aws-iso";
    if (region?.startsWith("us-isob-")) return "aws-iso-b";
    return "aws";
}

/**
 * The shards of the environment: the declared ones, or, when none are
 * declared, one shard holding every service whose stack is the environment.
 */
export function shardsOf(catalog: Pick<Catalog, "services" | "shards" | "environment" | "needsInput" | "region">): Shard[] {
    const env = environmentOf(catalog);
    const declared = catalog.shards ?? [];
    if (declared.length === 0) {
        return [{ name: env, stack: env, services: catalog.services.map(s => s.name) }];
    }
    return declared.map((s, i) => {
        const pending = (catalog.needsInput ?? []).some(n => n.path === `shards[${i}].account`);
        const role = s.role?.replace(/^\//, "");
        const previewRole = s.previewRole?.replace(/^\//, "");
        const arnOf = (name: string) => `arn:${partitionOf(s.region ?? catalog.region)}:iam::${s.account}:role/${name}`;
        return {
            name: s.name,
            stack: shardStackName(env, s.name),
            services: [...s.services],
            ...(s.account ? { account: s.account } : {}),
            ...(pending ? { accountNeedsInput: true } : {}),
            ...(s.region ? { region: s.region } : {}),
            ...(s.account && role ? { roleArn: arnOf(role) } : {}),
            ...(s.account && previewRole ? { previewRoleArn: arnOf(previewRole) } : {}),
        };
    });
}

/** The shard a service belongs to. */
export function shardOf(catalog: Parameters<typeof shardsOf>[0], service: string): Shard {
    const shard = shardsOf(catalog).find(s => s.services.includes(service));
    if (!shard) throw new Error(`service ${JSON.stringify(service)} is in no shard of the catalog`);
    return shard;
}

/** The shard this stack deploys, or undefined in single-stack mode (every service). */
export function selectedShard(catalog: Parameters<typeof shardsOf>[0] & Pick<Catalog, "shard">): Shard | undefined {
    return catalog.shard === undefined ? undefined : shardsOf(catalog).find(s => s.name === catalog.shard);
}

/** The services this stack declares: its shard's, or all of them. */
export function localServices(catalog: Parameters<typeof selectedShard>[0]): ServiceSpec[] {
    const shard = selectedShard(catalog);
    return shard ? catalog.services.filter(s => shard.services.includes(s.name)) : catalog.services;
}

/** A declared edge `consumer -> provider` and the shards of its two ends (equal within a shard). */
export type ShardEdge = CrossShardEdge;

/**
 * Every declared edge of the environment with the shards of its ends,
 * sorted: each `consumes` edge, and the API front door's (its edge VPC,
 * FRONT_DOOR_CONSUMER, consumes every service it reaches through its VPC
 * link, i.e. exposed without `integration: lambda`; the front door of a
 * stack lives in the shard of the services it exposes, components/frontDoor.ts).
 */
export function declaredShardEdges(catalog: Parameters<typeof shardsOf>[0] & Pick<Catalog, "platform">): ShardEdge[] {
    const shardByService = new Map<string, string>();
    for (const shard of shardsOf(catalog)) {
        for (const s of shard.services) shardByService.set(s, shard.name);
    }
    const shardOfConsumer = (e: DeclaredEdge) => shardByService.get(e.consumer === FRONT_DOOR_CONSUMER ? e.provider : e.consumer)!;
    return declaredEdges(catalog.services, catalog.platform).map(e => ({
        consumer: e.consumer,
        provider: e.provider,
        consumerShard: shardOfConsumer(e),
        providerShard: shardByService.get(e.provider)!,
    }));
}

/** Every declared edge whose ends are in different shards, sorted (those the waves and the shard wiring order). */
export function crossShardEdges(catalog: Parameters<typeof declaredShardEdges>[0]): CrossShardEdge[] {
    return declaredShardEdges(catalog).filter(e => e.consumerShard !== e.providerShard);
}

/**
 * Per shard, which entries of the environment's catalog its stack's plan reads,
 * besides the settings every stack reads (`platform`, the Region and any
 * other configuration key): the `services` entries of its own services and
 * of the services at the other end of their declared edges (a consumer opens
 * its providers' ports, a provider admits its consumers' shards' accounts,
 * the pack judges both halves of each edge with one end here), every exposed
 * service's when it holds one (the pack's front-door consumer lists every
 * exposed service of the catalog), and the `shards` entries of its own shard
 * and of those services' shards (their accounts and roles). Everything else
 * (another service's entry, another shard's) changes nothing in its plan.
 *
 * The offline environment plan keys its cache of a shard's plan on these
 * entries (tools/preview/env-cache.ts); test/preview/env-changed.test.ts
 * checks the declaration against full plans of random catalog edits.
 */
export function shardCatalogSlices(catalog: Parameters<typeof declaredShardEdges>[0]): Map<string, { services: string[]; shards: string[] }> {
    const shards = shardsOf(catalog);
    const shardOf = new Map(shards.flatMap(s => s.services.map(x => [x, s.name] as const)));
    const neighbours = new Map(catalog.services.map(s => [s.name, new Set<string>()]));
    for (const e of declaredShardEdges(catalog)) {
        if (e.consumer === FRONT_DOOR_CONSUMER) continue;
        neighbours.get(e.consumer)?.add(e.provider);
        neighbours.get(e.provider)?.add(e.consumer);
    }
    const exposed = catalog.services.filter(s => s.expose).map(s => s.name);
    const out = new Map<string, { services: string[]; shards: string[] }>();
    for (const shard of shards) {
        const services = new Set(shard.services);
        for (const s of shard.services) for (const n of neighbours.get(s) ?? []) services.add(n);
        if (shard.services.some(s => exposed.includes(s))) for (const s of exposed) services.add(s);
        const sliceShards = new Set([shard.name, ...[...services].map(s => shardOf.get(s)!).filter(Boolean)]);
        out.set(shard.name, { services: [...services].sort(), shards: [...sliceShards].sort() });
    }
    return out;
}

/**
 * Checks the raw `shards` list against the services and the environment's
 * region. Every service belongs to exactly one shard, so the shards together
 * deploy the environment exactly once.
 */
export function checkShards(
    raw: unknown,
    serviceNames: readonly string[],
    region: string | undefined,
    problems: CatalogProblem[],
    /** Indexes of shards whose account is left as { needsInput: ... }. */
    pendingAccounts: ReadonlySet<number> = new Set(),
): ShardSpec[] | undefined {
    if (raw === undefined) return [];
    if (!Array.isArray(raw)) {
        problems.push({ path: "shards", message: "must be a list of shards ({ name, services, account?, role?, previewRole?, region? }); see docs/scale.md" });
        return undefined;
    }
    const out: ShardSpec[] = [];
    const owner = new Map<string, string>();
    const names = new Map<string, number>();
    raw.forEach((entry, i) => {
        const at = `shards[${i}]`;
        const parsed = shardSchema.safeParse(entry);
        if (!parsed.success) {
            for (const issue of parsed.error.issues) {
                const where = issue.path.reduce<string>((p, k) => typeof k === "number" ? `${p}[${k}]` : `${p}.${String(k)}`, at);
                if (issue.code === "unrecognized_keys") {
                    for (const key of issue.keys) {
                        problems.push({ path: `${where}.${key}`, message: `unknown field${didYouMean(key, shardSchema.keyof().options)}` });
                    }
                } else {
                    problems.push({ path: where, message: issue.message });
                }
            }
        }
        // Cross-field checks still run on a malformed entry, so every problem shows at once.
        const shard: ShardSpec = parsed.success ? parsed.data : lenient(entry);
        const first = names.get(shard.name);
        if (first !== undefined) {
            problems.push({ path: `${at}.name`, message: `duplicate shard name ${JSON.stringify(shard.name)} (also shards[${first}]); shard names must be unique` });
        } else {
            names.set(shard.name, i);
        }
        shard.services.forEach((service, j) => {
            const path = `${at}.services[${j}]`;
            if (!serviceNames.includes(service)) {
                problems.push({ path, message: `unknown service ${JSON.stringify(service)}${didYouMean(service, serviceNames)}` });
                return;
            }
            const already = owner.get(service);
            if (already !== undefined) {
                problems.push({
                    path,
                    message: `${JSON.stringify(service)} is already in shard ${JSON.stringify(already)}; a service belongs to exactly one shard (one stack owns its resources)`,
                });
                return;
            }
            owner.set(service, shard.name);
        });
        const pending = pendingAccounts.has(i);
        if (shard.role !== undefined && shard.account === undefined && !pending) {
            problems.push({ path: `${at}.role`, message: "names a role to assume but no account: set account to the 12-digit account the role is in" });
        }
        if ((shard.account !== undefined || pending) && shard.role === undefined) {
            problems.push({
                path: `${at}.role`,
                message: `is required with an account: Pulumi deploys the shard by assuming this role in that account (e.g. role: privatelink-deployer)`,
            });
        }
        if ((shard.account !== undefined || pending) && shard.previewRole === undefined) {
            problems.push({
                path: `${at}.previewRole`,
                message: `is required with an account: a preview (a pull request's CI run included) assumes this read-only role in that account, ` +
                    `never the deploy role (e.g. previewRole: privatelink-previewer; its trust and permissions: docs/scale.md, "Accounts")`,
            });
        }
        if (shard.previewRole !== undefined && shard.account === undefined && !pending) {
            problems.push({ path: `${at}.previewRole`, message: "names a role to assume but no account: set account to the 12-digit account the role is in" });
        }
        if (shard.previewRole !== undefined && shard.role !== undefined && shard.previewRole.replace(/^\//, "") === shard.role.replace(/^\//, "")) {
            problems.push({ path: `${at}.previewRole`, message: `is the deploy role ${JSON.stringify(shard.role)}: a preview must not hold deploy rights; name a read-only role (e.g. privatelink-previewer)` });
        }
        if (shard.region !== undefined && region !== undefined && shard.region !== region) {
            problems.push({
                path: `${at}.region`,
                message:
                    `${shard.region} is not the environment's region ${region}: an interface endpoint connects to endpoint services in its own ` +
                    `region unless the provider lists the consumer's region in supportedRegions and the endpoint sets serviceRegion ` +
                    `(cross-region PrivateLink), which this platform does not design (no cross-region fees, latency or failure model); ` +
                    `remove region or make it ${region}`,
            });
        }
        if (parsed.success) out.push(shard);
    });
    if (raw.length > 0) {
        const missing = serviceNames.filter(s => !owner.has(s));
        if (missing.length > 0) {
            problems.push({
                path: "shards",
                message: `${missing.map(s => JSON.stringify(s)).join(", ")} ${missing.length === 1 ? "is" : "are"} in no shard: add ${missing.length === 1 ? "it" : "each"} to a shard's services (or a shard of ${missing.length === 1 ? "its" : "their"} own)`,
            });
        }
    }
    return out;
}

/**
 * A shard that names another account needs the environment's zones named by
 * id (`platform.zoneIds`). Each account picks its zones from what it sees
 * (components/platform.ts), and zone ids differ between accounts in what
 * they offer; a consumer's endpoint can only be placed in zones its provider
 * serves: "consumers ... can see only the Availability Zones that they have
 * in common with the service provider" (PrivateLink guide, "Create an
 * endpoint service"). Zone ids name the same physical zones in every
 * account, so one list makes every shard pick the same zones.
 */
export function checkCrossAccountZones(rawPlatform: Record<string, unknown>, raw: unknown, pendingAccounts: ReadonlySet<number>, problems: CatalogProblem[]): void {
    if (!Array.isArray(raw)) return;
    const foreign = raw.flatMap((s, i) => {
        const entry = (typeof s === "object" && s !== null ? s : {}) as { name?: unknown; account?: unknown };
        return entry.account !== undefined || pendingAccounts.has(i) ? [`shards[${i}] ${String(entry.name)}`] : [];
    });
    if (foreign.length === 0 || (Array.isArray(rawPlatform.zoneIds) && rawPlatform.zoneIds.length > 0)) return;
    problems.push({
        path: "platform.zoneIds",
        message: `is required when a shard names another account (${foreign.join(", ")}): every account picks its own zones, and a consumer's ` +
            `interface endpoint can use only the Availability Zones that they have in common with the service provider (PrivateLink guide, ` +
            `"Create an endpoint service"). List the environment's zones by id, the same physical zones in every account ` +
            `(e.g. zoneIds: [use1-az1, use1-az2]; \`aws ec2 describe-availability-zones --query 'AvailabilityZones[].ZoneId'\` in each account)`,
    });
}

/** Checks the stack's own shard selection (`privatelink-platform:shard`) against the declared shards and the stack name. */
export function checkSelection(
    shard: unknown,
    environment: string,
    stack: string | undefined,
    shards: readonly ShardSpec[] | undefined,
    problems: CatalogProblem[],
): string | undefined {
    if (shard === undefined) return undefined;
    if (typeof shard !== "string") {
        problems.push({ path: "shard", message: "must be the name of one of the environment's shards" });
        return undefined;
    }
    if (shards === undefined) return undefined; // the list itself is reported
    const known = shards.map(s => s.name);
    if (!known.includes(shard)) {
        problems.push({
            path: "shard",
            message: known.length === 0
                ? `${JSON.stringify(shard)}: the catalog declares no shards; list them under privatelink-platform:shards in stacks/Pulumi.${environment}.yaml`
                : `unknown shard ${JSON.stringify(shard)}${didYouMean(shard, known)}; the environment's shards are ${known.join(", ")}`,
        });
        return undefined;
    }
    if (stack !== undefined && stack !== shardStackName(environment, shard)) {
        problems.push({
            path: "shard",
            message:
                `stack ${JSON.stringify(stack)} says it is shard ${JSON.stringify(shard)} of ${JSON.stringify(environment)}, whose stack is ` +
                `${JSON.stringify(shardStackName(environment, shard))}: regenerate the shard files (npm run shards -- --env ${environment}) instead of copying one`,
        });
    }
    return shard;
}

function lenient(entry: unknown): ShardSpec {
    const e = (typeof entry === "object" && entry !== null ? entry : {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === "string" ? v : undefined);
    return {
        name: str(e.name) ?? "",
        services: Array.isArray(e.services) ? e.services.filter((x): x is string => typeof x === "string") : [],
        account: str(e.account),
        role: str(e.role),
        previewRole: str(e.previewRole),
        region: str(e.region),
    };
}

/**
 * The needs-input values a shard stack depends on: those of its own services,
 * the platform's (when a local service uses them: EKS settings only matter
 * to a shard with an eks service), and the accounts of its own shard and of
 * the shards it is wired to. The others belong to other shards' stacks, whose
 * `pulumi up` refuses to start on them.
 */
export function shardNeedsInput(catalog: Parameters<typeof selectedShard>[0] & Pick<Catalog, "platform">): Catalog["needsInput"] {
    const shard = selectedShard(catalog);
    // The environment's own stack deploys every service with the running credentials: no shard account applies.
    if (!shard) return catalog.needsInput.filter(n => !n.path.startsWith("shards["));
    const local = new Set(shard.services);
    const names = shardsOf(catalog).map(s => s.name);
    const wired = new Set([shard.name, ...crossShardEdges(catalog)
        .filter(e => e.consumerShard === shard.name || e.providerShard === shard.name)
        .flatMap(e => [e.consumerShard, e.providerShard])]);
    // A runtime's platform field (`platform.eks`) is asked for where a local service reads it.
    const platformField = (path: string) => /^platform\.([A-Za-z]+)\./.exec(path)?.[1];
    const readBy = (field: string) => catalog.services.some(s => local.has(s.name) && readsPlatformField(s.runtime, field));
    return catalog.needsInput.filter(n => {
        const account = /^shards\[(\d+)\]\./.exec(n.path);
        if (account) return wired.has(names[Number(account[1])]);
        const field = platformField(n.path);
        if (field !== undefined && field in RUNTIME_PLATFORM_FIELDS) return readBy(field);
        return n.service === undefined || local.has(n.service);
    });
}
