/**
 * Plain functions behind the front door's API and edge load balancer: the
 * resource tree of the REST API, how each route's methods are authorized,
 * cached and matched by the edge ALB. No Pulumi; tested directly.
 */
import { createHash } from "crypto";
import * as path from "path";
import type { ExposedMethod, RouteAuth } from "./catalog/expose";
import type { Catalog } from "./catalog/schema";
import { shardsOf } from "./catalog/shards";
import { routeSlug } from "../policies/lib/front-door";

/** API Gateway's `authorization` value of each catalog auth (API Gateway API reference, PutMethod authorizationType). */
export const AUTHORIZATION_TYPE: Readonly<Record<RouteAuth, string>> = {
    cognito: "COGNITO_USER_POOLS",
    iam: "AWS_IAM",
    lambda: "CUSTOM",
    none: "NONE",
};

/** The request header every token authorizer reads. */
export const TOKEN_HEADER = "method.request.header.Authorization";

/**
 * Every resource path the REST API needs for these route prefixes, parents
 * before children (`/a/b` needs `/a`), without the root `/`, which the API has.
 */
export function resourcePaths(prefixes: readonly string[]): string[] {
    const out = new Set<string>();
    for (const p of prefixes) {
        const parts = p.split("/").filter(Boolean);
        for (let i = 1; i <= parts.length; i++) {
            out.add(`/${parts.slice(0, i).join("/")}`);
        }
    }
    return [...out].sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
}

export function depth(p: string): number {
    return p.split("/").filter(Boolean).length;
}

/** The parent path of a resource path (`/a/b` -> `/a`, `/a` -> `/`). */
export function parentPath(p: string): string {
    const parts = p.split("/").filter(Boolean);
    return parts.length <= 1 ? "/" : `/${parts.slice(0, -1).join("/")}`;
}

/** Logical name of the API Gateway resource of a path (and of its `{proxy+}` child). */
export function resourceName(prefix: string, p: string, proxy = false): string {
    return `${prefix}-path-${routeSlug(p)}${proxy ? "-proxy" : ""}`;
}

/**
 * The path patterns the edge ALB matches for a route: the prefix and
 * everything below it, with and without the stage name in front. API Gateway
 * includes the stage in the path it sends to a private integration ("In
 * private integrations, API Gateway includes the stage portion of the API
 * endpoint in the request to your backend resources", API Gateway Developer
 * Guide, "Private integrations for REST APIs in API Gateway",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/private-integration.html);
 * the listener rule's URL rewrite (stageRewrite) strips it. ALB allows five
 * condition values per rule (Elastic Load Balancing, "Quotas for your
 * Application Load Balancers": condition values per rule).
 */
export function albPathPatterns(p: string, stage: string): string[] {
    if (p === "/") {
        return ["/*"];
    }
    return [p, `${p}/*`, `/${stage}${p}`, `/${stage}${p}/*`];
}

/**
 * The URL rewrite that removes a leading `/<stage>` (ALB listener rule
 * transforms, type url-rewrite: Elastic Load Balancing User Guide for ALB,
 * "Transforms for listener rules").
 */
export function stageRewrite(stage: string): { regex: string; replace: string } {
    return { regex: `^/${stage}(/.*)$`, replace: "$1" };
}

/**
 * Listener rule priorities: more specific prefixes (more segments) first, so
 * `/orders/export` wins over `/orders`; ties by path. Priorities step by 10
 * so a new route rarely renumbers others (a priority change is an in-place
 * update: SetRulePriorities).
 */
export function listenerPriorities(paths: readonly string[]): Map<string, number> {
    const ordered = [...new Set(paths)].sort((a, b) => depth(b) - depth(a) || a.localeCompare(b));
    return new Map(ordered.map((p, i) => [p, (i + 1) * 10]));
}

/**
 * The stage's method-settings key of a method: the resource path with every
 * `/` written `~1` (the root is `~1`), then `/` and the HTTP method (`*` for
 * ANY): `/orders/{proxy+}` GET -> `~1orders~1{proxy+}/GET`. The provider
 * passes the key to UpdateStage's patch path unchanged, and GetStage answers
 * the same escaped keys (hashicorp/terraform-provider-aws#9738;
 * internal/service/apigateway/method_settings.go; API Gateway API reference,
 * UpdateStage: "Any slash ("/") character appearing in path names must be
 * escaped with "~1"").
 */
export function methodSettingsPath(p: string, method: string, proxy: boolean): string {
    const full = proxy ? `${p === "/" ? "" : p}/{proxy+}` : p;
    return `${full.replace(/\//g, "~1")}/${method === "ANY" ? "*" : method}`;
}

/** Methods that carry a body a request model can validate. */
export function hasBody(method: string): boolean {
    return ["POST", "PUT", "PATCH", "ANY"].includes(method);
}

/**
 * The method's request parameters: the proxy path on the `{proxy+}` method,
 * the declared cache-key query strings, and the Authorization header on
 * authorized, cached routes (so a cached answer is never served to another
 * caller). `true` = required.
 */
export function methodRequestParameters(m: ExposedMethod, proxy: boolean): Record<string, boolean> {
    const out: Record<string, boolean> = {};
    if (proxy) out["method.request.path.proxy"] = true;
    for (const q of m.cacheKeyQuery) out[`method.request.querystring.${q}`] = false;
    if (m.cacheTtlSeconds > 0 && (m.auth === "cognito" || m.auth === "lambda")) out[TOKEN_HEADER] = true;
    return out;
}

/** The integration's parameter mapping: proxy path and cache-key query strings passed through. */
export function integrationRequestParameters(m: ExposedMethod, proxy: boolean): Record<string, string> {
    const out: Record<string, string> = {};
    if (proxy) out["integration.request.path.proxy"] = "method.request.path.proxy";
    for (const q of m.cacheKeyQuery) out[`integration.request.querystring.${q}`] = `method.request.querystring.${q}`;
    return out;
}

/** The cache key: every method request parameter (API Gateway caches per value of each). */
export function cacheKeyParameters(m: ExposedMethod, proxy: boolean): string[] {
    return m.cacheTtlSeconds > 0 ? Object.keys(methodRequestParameters(m, proxy)).sort() : [];
}

/** A model's name: alphanumeric, from the schema file's base name (`schemas/notify-request.json` -> `NotifyRequest`). */
export function modelName(file: string): string {
    const base = path.basename(file).replace(/\.json$/i, "");
    const name = base.split(/[^A-Za-z0-9]+/).filter(Boolean).map(w => w[0].toUpperCase() + w.slice(1)).join("");
    return /^[A-Za-z]/.test(name) ? name : `M${name}`;
}

/** A short stable digest of a value: the deployment's redeployment trigger. */
export function digest(value: unknown): string {
    return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16);
}

/** One resource a deployment snapshots: its type, logical name and inputs. */
export interface DefinitionEntry {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

/** A value with object keys sorted and undefined members dropped, at every depth (what JSON keeps, in one order). */
function canonical(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(canonical);
    if (v && typeof v === "object") {
        return Object.fromEntries(Object.keys(v).sort().filter(k => (v as Record<string, unknown>)[k] !== undefined).map(k => [k, canonical((v as Record<string, unknown>)[k])]));
    }
    return v;
}

/**
 * The deployment's redeployment trigger: a digest of every resource the
 * deployment snapshots (resources, methods, integrations, authorizers,
 * models, validators) with its resolved inputs, in a stable order. Any
 * change AWS requires a redeployment for changes it.
 */
export function definitionDigest(entries: readonly DefinitionEntry[]): string {
    const sorted = [...entries].sort((a, b) => `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`));
    return digest(sorted.map(e => canonical(e)));
}

/**
 * The logical names of the resources, methods and integrations that define
 * the routes (the definition's generation is replaced whenever this set
 * changes, so a removed one is deleted before the new deployment).
 */
export function definitionNames(prefix: string, routePaths: readonly string[], methods: readonly ExposedMethod[]): string[] {
    const names = [
        ...resourcePaths(routePaths).map(p => resourceName(prefix, p)),
        ...routePaths.map(p => resourceName(prefix, p, true)),
        ...methods.flatMap(m => [m.name, `${m.name}-proxy`].flatMap(n => [n, `${n}-integration (${m.integration})`])),
    ];
    return [...new Set(names)].sort();
}

/** `GET /orders -> orders (cognito)`: the routes as the stack output lists them. */
export function routeLines(methods: readonly ExposedMethod[]): string[] {
    return methods.map(m => `${m.method} ${m.path} -> ${m.service} (${m.auth}${m.integration === "lambda" ? ", direct lambda" : ""})`);
}

/**
 * The shards that own API Gateway's account-wide CloudWatch role when the
 * environment file sets `platform.frontDoor.manageAccountRole: true`: per
 * account and Region, the first shard (in declaration order) that builds a
 * front door. The setting exists once per account and Region ("you should
 * only have one AWS::ApiGateway::Account resource per region per account",
 * AWS CloudFormation template reference, AWS::ApiGateway::Account), so
 * every other shard there keeps `manageAccountRole: false`. A shard whose
 * account is still { needsInput } is an account of its own.
 */
export function accountRoleOwners(catalog: Pick<Catalog, "services" | "shards" | "environment" | "needsInput" | "region" | "platform">): Set<string> {
    const owners = new Set<string>();
    if (!catalog.platform.frontDoor?.manageAccountRole) return owners;
    const exposed = new Set(catalog.services.filter(s => s.expose).map(s => s.name));
    const taken = new Set<string>();
    for (const shard of shardsOf(catalog)) {
        if (!shard.services.some(s => exposed.has(s))) continue;
        const account = shard.account ?? (shard.accountNeedsInput ? `needs-input:${shard.name}` : "the deploying account");
        const key = `${account} ${shard.region ?? catalog.region ?? ""}`;
        if (taken.has(key)) continue;
        taken.add(key);
        owners.add(shard.name);
    }
    return owners;
}
