/**
 * The API front door in the catalog: a service's optional `expose` block
 * (routes, auth, throttling, caching, request validation, integration) and
 * the platform's `frontDoor` block (stage, authorizer settings, default
 * throttling, WAF, custom domain, usage plans). Schemas here; the checks that
 * look across services (route clashes, unknown services, schema files) in
 * checkExpose. Plain functions, no Pulumi. The shape is the one
 * policies/lib/front-door.ts documents and reads.
 */
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { FRONT_DOOR_CONSUMER, frontDoorMethodName, ROUTE_METHODS, routeSlug } from "../../policies/lib/front-door";
import { checkVpcCidr } from "./cidr";
import type { CatalogProblem } from "./errors";

/** How a route's callers are authenticated. */
export const ROUTE_AUTH = ["cognito", "iam", "lambda", "none"] as const;
export type RouteAuth = (typeof ROUTE_AUTH)[number];

/** The front door's edge VPC's consumer name (no catalog service may take it). */
export { FRONT_DOOR_CONSUMER };

/**
 * AWS managed rule groups the WAF web ACL applies by default (AWS WAF
 * Developer Guide, "AWS Managed Rules rule groups list":
 * https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html).
 */
export const DEFAULT_MANAGED_RULE_GROUPS = [
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
] as const;

/** API Gateway cache cluster sizes in GB (API Gateway API reference, CreateStage cacheClusterSize). */
export const CACHE_CLUSTER_SIZES = ["0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237"] as const;

/** A path prefix: `/` or `/segment[/segment...]`, no parameters (the `{proxy+}` child takes the rest). */
const ROUTE_PATH = /^\/([A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*)?$/;
const QUERY_NAME = /^[A-Za-z0-9._~-]{1,128}$/;
const USER_POOL_ARN = /^arn:aws(-[a-z]+)*:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/[a-z0-9-]+_[A-Za-z0-9]+$/;
const CERTIFICATE_ARN = /^arn:aws(-[a-z]+)*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;
const DOMAIN_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const throttlingSchema = z.strictObject({
    /** Steady-state requests per second. */
    rateLimit: z.number({ error: "must be a number of requests per second" }).positive({ error: "must be positive (requests per second)" }).max(10000, { error: "must be at most 10000 (the account's default regional limit)" }),
    /** Burst (token bucket size). */
    burstLimit: z.number({ error: "must be a whole number of requests" }).int({ error: "must be a whole number of requests" }).min(1, { error: "must be at least 1" }).max(5000, { error: "must be at most 5000 (the account's default burst)" }),
});
export type Throttling = z.output<typeof throttlingSchema>;

const auth = z.enum(ROUTE_AUTH, { error: `use one of ${ROUTE_AUTH.join(", ")}` });
const cacheTtl = z.number().int({ error: "must be whole seconds" }).min(0).max(3600, { error: "must be between 0 and 3600 seconds (API Gateway's maximum TTL)" });
const methods = z
    .array(z.enum(ROUTE_METHODS, { error: `use one of ${ROUTE_METHODS.join(", ")}` }), { error: `must be a list of HTTP methods (${ROUTE_METHODS.join(", ")})` })
    .min(1, { error: "must list at least one method" });

export const routeSchema = z.strictObject({
    /** A path prefix such as `/orders`: the route serves it and everything below it. */
    path: z.string().regex(ROUTE_PATH, {
        error: iss => `${JSON.stringify(iss.input)} is not a path prefix; write /segment[/segment...] with letters, digits, '.', '_', '~' or '-' (no parameters, no trailing slash)`,
    }),
    methods,
    /** Overrides the block's auth for this route. */
    auth: auth.optional(),
    /** Required when this route's auth is none. */
    reason: z.string().optional(),
    throttling: throttlingSchema.optional(),
    cacheTtlSeconds: cacheTtl.optional(),
    /** Query string parameters that make up the cache key (with the path and, on authorized routes, the Authorization header). */
    cacheKeyQuery: z.array(z.string().regex(QUERY_NAME, { error: "is not a query string parameter name" })).optional(),
    /** A JSON Schema file of this repository that request bodies must match. */
    requestSchema: z.string().min(1).optional(),
    /** Callers must send an API key of a usage plan. */
    apiKeyRequired: z.boolean().optional(),
});

export const exposeSchema = z.strictObject({
    /** The default auth of every route. */
    auth,
    /** Why the routes are public, required when auth is none. */
    reason: z.string().optional(),
    routes: z.array(routeSchema, { error: "must be a list of routes ({ path, methods })" }).min(1, { error: "must list at least one route" }),
    throttling: throttlingSchema.optional(),
    cacheTtlSeconds: cacheTtl.optional(),
    cacheKeyQuery: z.array(z.string().regex(QUERY_NAME, { error: "is not a query string parameter name" })).optional(),
    requestSchema: z.string().min(1).optional(),
    apiKeyRequired: z.boolean().optional(),
    /** `vpc-link` (default): through the edge VPC and PrivateLink; `lambda`: API Gateway invokes a lambda service's function directly. */
    integration: z.enum(["vpc-link", "lambda"], { error: "use vpc-link or lambda" }).default("vpc-link"),
});
export type ExposeSpec = z.output<typeof exposeSchema>;

const usagePlanSchema = z.strictObject({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, { error: iss => `${JSON.stringify(iss.input)} is not a plan name (lowercase letters, digits, hyphens)` }),
    description: z.string().optional(),
    throttling: throttlingSchema.optional(),
    quota: z.strictObject({
        limit: z.number().int().min(1),
        period: z.enum(["DAY", "WEEK", "MONTH"], { error: "use DAY, WEEK or MONTH" }),
    }).optional(),
    /** Partners given an API key of this plan, one key each. */
    partners: z.array(z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, { error: iss => `${JSON.stringify(iss.input)} is not a partner name (lowercase letters, digits, hyphens)` })).default([]),
    /** Exposed services whose routes require this plan's keys. */
    services: z.array(z.string()).min(1, { error: "must name at least one exposed service" }),
});
export type UsagePlanSpec = z.output<typeof usagePlanSchema>;

export const frontDoorSchema = z.strictObject({
    /** The stage: the invoke URL's last path segment. */
    stageName: z.string().regex(/^[A-Za-z0-9_]{1,128}$/, { error: iss => `${JSON.stringify(iss.input)} is not a stage name (letters, digits, _)` }).default("v1"),
    /** The edge VPC's block; default: platform.vpcCidr (PrivateLink tolerates overlap). */
    vpcCidr: z.string().optional(),
    /** The Cognito user pool of `auth: cognito` routes. */
    cognito: z.strictObject({ userPoolArn: z.string().regex(USER_POOL_ARN, { error: iss => `${JSON.stringify(iss.input)} is not a Cognito user pool ARN (arn:aws:cognito-idp:<region>:<account>:userpool/<region>_<id>)` }).optional() }).optional(),
    /**
     * The tokens `auth: lambda` routes accept: the issuer, audiences and the
     * issuer's public keys (a JWKS document). The authorizer runs in the edge
     * VPC without internet, so it never fetches the keys.
     */
    jwt: z.strictObject({
        issuer: z.string().regex(/^https:\/\/\S+$/, { error: "must be the token issuer's https URL (the iss claim)" }).optional(),
        audiences: z.array(z.string().min(1)).min(1, { error: "must list at least one audience (the aud claim)" }).optional(),
        jwks: z.string().optional(),
    }).optional(),
    throttling: throttlingSchema.default({ rateLimit: 100, burstLimit: 200 }),
    waf: z.strictObject({
        managedRuleGroups: z.array(z.string().regex(/^AWSManagedRules[A-Za-z0-9]+$/, { error: iss => `${JSON.stringify(iss.input)} is not an AWS managed rule group name (AWSManagedRules...)` })).default([...DEFAULT_MANAGED_RULE_GROUPS]),
        /** Requests per 5 minutes from one IP address before the rate-based rule blocks it. */
        rateLimit: z.number().int().min(10, { error: "must be at least 10 (AWS WAF's minimum rate limit)" }).max(2_000_000_000).default(2000),
    }).default({ managedRuleGroups: [...DEFAULT_MANAGED_RULE_GROUPS], rateLimit: 2000 }),
    domain: z.strictObject({
        name: z.string().regex(DOMAIN_NAME, { error: iss => `${JSON.stringify(iss.input)} is not a DNS name such as api.example.com` }).optional(),
        certificateArn: z.string().regex(CERTIFICATE_ARN, { error: iss => `${JSON.stringify(iss.input)} is not an ACM certificate ARN` }).optional(),
    }).optional(),
    cacheClusterSize: z.enum(CACHE_CLUSTER_SIZES, { error: `use one of ${CACHE_CLUSTER_SIZES.join(", ")} (GB)` }).default("0.5"),
    usagePlans: z.array(usagePlanSchema).default([]),
    /**
     * Whether this stack owns API Gateway's account-level CloudWatch role
     * (aws.apigateway.Account: one per account and region, shared by every
     * stack there). False: it is a prerequisite (docs/front-door.md).
     */
    manageAccountRole: z.boolean().default(false),
    /**
     * Concurrent executions reserved for the token authorizer (`auth: lambda`
     * routes): they count against the account's Lambda concurrency, of which
     * 100 must stay unreserved (the plan's quota row L-B99A9384).
     */
    authorizerReservedConcurrency: z.number().int().min(1).max(1000).default(50),
});
export type FrontDoorSpec = z.output<typeof frontDoorSchema>;

/** One method of one route with everything resolved from the expose block and the platform's defaults. */
export interface ExposedMethod {
    service: string;
    runtime: string;
    path: string;
    method: string;
    /** The method's logical name (policies/lib/front-door.ts). */
    name: string;
    auth: RouteAuth;
    reason?: string;
    throttling: Throttling;
    cacheTtlSeconds: number;
    cacheKeyQuery: string[];
    requestSchema?: string;
    apiKeyRequired: boolean;
    integration: "vpc-link" | "lambda";
}

interface ServiceLike {
    name: string;
    runtime: string;
    expose?: ExposeSpec;
}

/** Every method of every exposed route, in catalog order. */
export function exposedMethods(services: readonly ServiceLike[], frontDoor: FrontDoorSpec, usagePlans: readonly UsagePlanSpec[] = frontDoor.usagePlans): ExposedMethod[] {
    const keyed = new Set(usagePlans.flatMap(p => p.services));
    return services.flatMap(s => {
        const e = s.expose;
        if (!e) return [];
        return e.routes.flatMap(r => r.methods.map(m => {
            const auth = r.auth ?? e.auth;
            const reason = r.auth !== undefined ? r.reason : (r.reason ?? e.reason);
            return {
                service: s.name,
                runtime: s.runtime,
                path: r.path,
                method: m,
                name: frontDoorMethodName(s.name, r.path, m),
                auth,
                ...(auth === "none" && reason ? { reason: reason.trim() } : {}),
                throttling: r.throttling ?? e.throttling ?? frontDoor.throttling,
                cacheTtlSeconds: r.cacheTtlSeconds ?? e.cacheTtlSeconds ?? 0,
                cacheKeyQuery: r.cacheKeyQuery ?? e.cacheKeyQuery ?? [],
                ...((r.requestSchema ?? e.requestSchema) ? { requestSchema: r.requestSchema ?? e.requestSchema } : {}),
                apiKeyRequired: r.apiKeyRequired ?? e.apiKeyRequired ?? keyed.has(s.name),
                integration: e.integration,
            };
        }));
    });
}

/** Reads a request schema file: the parsed schema, or why it cannot be used. */
export function readRequestSchema(file: string, projectDir: string): { ok: true; schema: Record<string, unknown> } | { ok: false; reason: string } {
    const resolved = path.resolve(projectDir, file);
    if (path.relative(projectDir, resolved).startsWith("..")) {
        return { ok: false, reason: `${JSON.stringify(file)} is outside the repository; keep schemas in it (e.g. schemas/<name>.json)` };
    }
    if (!fs.existsSync(resolved) || !fs.statSync(resolved).isFile()) {
        return { ok: false, reason: `file ${JSON.stringify(file)} does not exist (resolved to ${resolved}); add the JSON Schema file or fix the path` };
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(resolved, "utf8"));
    } catch (err) {
        return { ok: false, reason: `${JSON.stringify(file)} is not valid JSON (${(err as Error).message}); API Gateway models are JSON Schema draft 4 documents` };
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        return { ok: false, reason: `${JSON.stringify(file)} is not a JSON Schema object; write { "type": "object", ... }` };
    }
    return { ok: true, schema: parsed as Record<string, unknown> };
}

export interface ExposeCheckContext {
    projectDir: string;
    /** Paths left as { needsInput: ... } (planned as absent). */
    needsInputPaths: ReadonlySet<string>;
}

/**
 * Cross-field checks of every expose block and of platform.frontDoor, on the
 * raw entries (so they report even when another field is malformed). Adds
 * every problem found to `problems`.
 */
export function checkExpose(rawPlatform: Record<string, unknown>, entries: Record<string, unknown>[], ctx: ExposeCheckContext, problems: CatalogProblem[]): void {
    const fd = isRecord(rawPlatform.frontDoor) ? rawPlatform.frontDoor : undefined;
    const exposed = entries.map((e, i) => ({ e, i })).filter(({ e }) => e.expose !== undefined);
    const runtimeOf = new Map(entries.map(e => [e.name, e.runtime]));
    const authsUsed = new Set<string>();
    // "<path> <method>" -> first owner, for clashes across the whole catalog.
    const claimed = new Map<string, string>();
    const slugs = new Map<string, { path: string; at: string }>();

    if (exposed.length > 0 && fd === undefined) {
        for (const { i } of exposed) {
            problems.push({
                path: `services[${i}].expose`,
                message: "the stack has no front door: add platform.frontDoor (at least `frontDoor: {}`; see docs/front-door.md) or remove this block",
            });
        }
    }
    if (exposed.length > 0) {
        entries.forEach((e, i) => {
            if (e.name === FRONT_DOOR_CONSUMER) {
                problems.push({ path: `services[${i}].name`, message: `"${FRONT_DOOR_CONSUMER}" is the front door's own name (its edge VPC and endpoints); rename the service` });
            }
        });
    }

    for (const { e, i } of exposed) {
        const at = `services[${i}].expose`;
        const expose = e.expose;
        if (!isRecord(expose)) continue; // the schema reports it
        const name = typeof e.name === "string" ? e.name : `services[${i}]`;
        const blockAuth = typeof expose.auth === "string" ? expose.auth : undefined;
        if (expose.integration === "lambda" && e.runtime !== "lambda") {
            problems.push({ path: `${at}.integration`, message: `a direct lambda integration needs a lambda service (${name} is ${String(e.runtime)}); remove it to go through the VPC link` });
        }
        const blockReasonOk = typeof expose.reason === "string" && expose.reason.trim().length >= 10;
        if (blockAuth === "none" && !blockReasonOk) {
            problems.push({ path: `${at}.reason`, message: "auth none makes every route public: say why in reason (at least 10 characters), or use cognito, iam or lambda" });
        }
        if (typeof expose.requestSchema === "string") {
            checkSchemaFile(`${at}.requestSchema`, expose.requestSchema, ctx, problems);
        }
        const routes = Array.isArray(expose.routes) ? expose.routes : [];
        routes.forEach((route, j) => {
            if (!isRecord(route)) return;
            const rat = `${at}.routes[${j}]`;
            const routeAuth = typeof route.auth === "string" ? route.auth : blockAuth;
            if (routeAuth) authsUsed.add(routeAuth);
            if (route.auth === "none") {
                if (!(typeof route.reason === "string" && route.reason.trim().length >= 10)) {
                    problems.push({ path: `${rat}.reason`, message: "auth none makes this route public: say why in reason (at least 10 characters), or remove the override" });
                }
            }
            if (typeof route.requestSchema === "string") {
                checkSchemaFile(`${rat}.requestSchema`, route.requestSchema, ctx, problems);
            }
            if (typeof route.path !== "string" || !ROUTE_PATH.test(route.path)) return;
            const slug = routeSlug(route.path);
            const sameSlug = slugs.get(slug);
            if (sameSlug && sameSlug.path !== route.path) {
                problems.push({ path: `${rat}.path`, message: `${route.path} and ${sameSlug.path} (${sameSlug.at}) would share the resource names "${slug}"; rename one of the paths` });
            } else if (!sameSlug) {
                slugs.set(slug, { path: route.path, at: rat });
            }
            const ms = Array.isArray(route.methods) ? route.methods.filter((m): m is string => typeof m === "string") : [];
            for (const m of ms) {
                const clashes = [...claimed.entries()].filter(([k]) => {
                    const [p, other] = k.split(" ");
                    return p === route.path && (other === m || other === "ANY" || m === "ANY");
                });
                if (clashes.length > 0) {
                    const [, owner] = clashes[0];
                    problems.push({
                        path: `${rat}.methods`,
                        message: `${m} ${route.path} is already routed to ${owner}; one path prefix and method go to one service: change the path (e.g. /${name}${route.path === "/" ? "" : route.path}) or drop the method`,
                    });
                    continue;
                }
                claimed.set(`${route.path} ${m}`, `${name} (${rat})`);
            }
        });
    }

    if (!fd) return;
    const fat = "platform.frontDoor";
    if (exposed.length === 0) {
        problems.push({ path: fat, message: "no service has an expose block: add one (services[].expose) or remove platform.frontDoor" });
    }
    if (authsUsed.has("cognito") && !hasValue(fd, ["cognito", "userPoolArn"], `${fat}.cognito.userPoolArn`, ctx)) {
        problems.push({ path: `${fat}.cognito.userPoolArn`, message: "is required: routes use auth cognito; give the user pool's ARN (aws cognito-idp list-user-pools), or { needsInput: \"...\" } until it exists" });
    }
    if (authsUsed.has("lambda")) {
        for (const field of ["issuer", "audiences", "jwks"]) {
            if (!hasValue(fd, ["jwt", field], `${fat}.jwt.${field}`, ctx)) {
                problems.push({ path: `${fat}.jwt.${field}`, message: `is required: routes use auth lambda, whose authorizer verifies tokens offline against the issuer's ${field === "jwks" ? "public keys (the JWKS document, as JSON)" : field}; give it, or { needsInput: "..." }` });
            }
        }
    }
    const jwks = isRecord(fd.jwt) ? fd.jwt.jwks : undefined;
    if (typeof jwks === "string") {
        const why = jwksProblem(jwks);
        if (why) problems.push({ path: `${fat}.jwt.jwks`, message: why });
    }
    if (fd.domain !== undefined && isRecord(fd.domain)) {
        for (const field of ["name", "certificateArn"]) {
            if (!hasValue(fd, ["domain", field], `${fat}.domain.${field}`, ctx)) {
                problems.push({ path: `${fat}.domain.${field}`, message: `is required with a custom domain (${field === "name" ? "e.g. api.example.com" : "an ACM certificate in the stack's region covering the name"}), or { needsInput: "..." }; remove domain for the execute-api URL only` });
            }
        }
    }
    if (typeof fd.vpcCidr === "string") {
        const check = checkVpcCidr(fd.vpcCidr);
        if (!check.ok) problems.push({ path: `${fat}.vpcCidr`, message: check.reason });
    }
    const plans = Array.isArray(fd.usagePlans) ? fd.usagePlans : [];
    const exposedNames = new Set(exposed.map(({ e }) => e.name));
    const planNames = new Map<string, number>();
    const partners = new Map<string, string>();
    plans.forEach((plan, k) => {
        if (!isRecord(plan)) return;
        const pat = `${fat}.usagePlans[${k}]`;
        if (typeof plan.name === "string") {
            const first = planNames.get(plan.name);
            if (first !== undefined) problems.push({ path: `${pat}.name`, message: `duplicate plan name ${JSON.stringify(plan.name)} (also usagePlans[${first}]); name each plan once` });
            else planNames.set(plan.name, k);
        }
        (Array.isArray(plan.services) ? plan.services : []).forEach((s, j) => {
            if (typeof s !== "string") return;
            if (!runtimeOf.has(s)) {
                problems.push({ path: `${pat}.services[${j}]`, message: `unknown service ${JSON.stringify(s)}; name a service of the catalog that has an expose block` });
            } else if (!exposedNames.has(s)) {
                problems.push({ path: `${pat}.services[${j}]`, message: `service ${JSON.stringify(s)} is not exposed; add an expose block to it or remove it from the plan` });
            }
        });
        (Array.isArray(plan.partners) ? plan.partners : []).forEach((p, j) => {
            if (typeof p !== "string") return;
            const first = partners.get(p);
            if (first !== undefined) problems.push({ path: `${pat}.partners[${j}]`, message: `partner ${JSON.stringify(p)} already has a key in ${first}; a partner holds one key (API Gateway admits a key in one plan per stage)` });
            else partners.set(p, pat);
        });
    });
}

function checkSchemaFile(at: string, file: string, ctx: ExposeCheckContext, problems: CatalogProblem[]): void {
    const r = readRequestSchema(file, ctx.projectDir);
    if (!r.ok) problems.push({ path: at, message: r.reason });
}

function hasValue(fd: Record<string, unknown>, keys: [string, string], path: string, ctx: ExposeCheckContext): boolean {
    if (ctx.needsInputPaths.has(path)) return true;
    const block = fd[keys[0]];
    return isRecord(block) && block[keys[1]] !== undefined;
}

/** Why a JWKS document cannot verify tokens, or undefined. */
export function jwksProblem(jwks: string): string | undefined {
    let doc: unknown;
    try {
        doc = JSON.parse(jwks);
    } catch {
        return "is not JSON: paste the issuer's JWKS document (the JSON its jwks_uri serves), e.g. { \"keys\": [ { \"kty\": \"RSA\", ... } ] }";
    }
    const keys = isRecord(doc) && Array.isArray(doc.keys) ? doc.keys : undefined;
    if (!keys || keys.length === 0) {
        return "has no keys: a JWKS document is { \"keys\": [ ... ] } with at least one public key";
    }
    const bad = keys.findIndex(k => !isRecord(k) || k.kty !== "RSA" || typeof k.n !== "string" || typeof k.e !== "string" || typeof k.kid !== "string");
    if (bad >= 0) {
        return `keys[${bad}] is not an RSA public key with kid, n and e; the authorizer verifies RS256 tokens only`;
    }
    if (keys.some(k => isRecord(k) && typeof k.d === "string")) {
        return "holds a private key (d): give only the issuer's public keys";
    }
    return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
