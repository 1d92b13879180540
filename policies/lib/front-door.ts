import { createHash } from "crypto";

/**
 * The contract between the program's API front door (components/frontDoor*)
 * and the policy pack: the component's type, how its per-route resources are
 * named, and which routes the catalog declares open (`auth: none` with a
 * reason). Both sides import these functions, so a rule can tell from a
 * method's URN which catalog route it serves.
 *
 * Catalog shape (validated in full by components/catalog; read raw here):
 *
 *   services:
 *     - name: orders
 *       expose:
 *         auth: cognito | iam | lambda | none     # default for every route
 *         reason: "why this is public"            # required when auth is none
 *         routes:
 *           - path: /orders                       # a path prefix
 *             methods: [GET, POST]
 *             auth: none                          # optional per-route override
 *             reason: "..."                       # required when the route's auth is none
 */

/**
 * The consumer name of the front door's edge VPC (its `privatelink:service`
 * tag): its interface endpoints are the edges `front-door-><service>`.
 */
export const FRONT_DOOR_CONSUMER = "front-door";

/** The front door's component type. */
export const FRONT_DOOR_COMPONENT = "privatelink:edge:FrontDoor";

/** The HTTP methods a route may list. */
export const ROUTE_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE", "ANY"] as const;
export type RouteMethod = (typeof ROUTE_METHODS)[number];

/** `/orders/{id}` -> `orders-id`; `/` -> `root`. */
export function routeSlug(path: string): string {
    const slug = path.toLowerCase().replace(/[{}+]/g, "").split("/").filter(Boolean).join("-").replace(/[^a-z0-9-]/g, "-");
    return slug === "" ? "root" : slug;
}

/**
 * The logical name of the API Gateway method (and, with a suffix, of its
 * integration) that serves `method` on a route of `service`. The route's
 * `{proxy+}` child method takes the suffix `-proxy`.
 */
export function frontDoorMethodName(service: string, path: string, method: string): string {
    return `${service}-${routeSlug(path)}-${method.toLowerCase()}`;
}

/** One route of the catalog's front door, its auth resolved from the expose block. */
export interface CatalogRoute {
    service: string;
    /** The route's path prefix (`/orders`): it serves the prefix and everything below it (`{proxy+}`). */
    path: string;
    methods: string[];
    /** cognito | iam | lambda | none (as written; the catalog validation refuses others). */
    auth: string;
    /** The reason of an open route (auth none), trimmed; "" when none is given. */
    reason: string;
    /** `vpc-link` (through the edge VPC) or `lambda` (API Gateway invokes the service's function). */
    integration: string;
}

/**
 * Every route the catalog declares for the front door, as the program
 * builds them (components/catalog/expose.ts `exposedMethods` resolves the
 * same inheritance: a route's auth, else its expose block's; an overriding
 * route's own reason, else the route's or the block's). Raw config in,
 * nothing thrown: what the catalog validation refuses is simply not listed.
 */
export function catalogRoutes(services: unknown): CatalogRoute[] {
    if (!Array.isArray(services)) {
        return [];
    }
    const out: CatalogRoute[] = [];
    for (const service of services) {
        const name = (service as { name?: unknown })?.name;
        const expose = (service as { expose?: unknown })?.expose as Record<string, unknown> | undefined;
        if (typeof name !== "string" || !expose || typeof expose !== "object" || !Array.isArray(expose.routes)) {
            continue;
        }
        for (const route of expose.routes as Record<string, unknown>[]) {
            if (!route || typeof route.path !== "string") {
                continue;
            }
            const auth = route.auth ?? expose.auth;
            const reason = route.auth !== undefined ? route.reason : (route.reason ?? expose.reason);
            out.push({
                service: name,
                path: route.path,
                methods: Array.isArray(route.methods) ? route.methods.filter((m): m is string => typeof m === "string").map((m) => m.toUpperCase()) : [],
                auth: typeof auth === "string" ? auth : "",
                reason: typeof reason === "string" ? reason.trim() : "",
                integration: expose.integration === "lambda" ? "lambda" : "vpc-link",
            });
        }
    }
    return out;
}

export interface OpenRoute {
    service: string;
    path: string;
    methods: string[];
    reason: string;
}

/** The routes the catalog declares open: `auth: none` with a non-empty reason. */
export function openRoutes(services: unknown): OpenRoute[] {
    return catalogRoutes(services)
        .filter((r) => r.auth === "none" && r.reason !== "")
        .map(({ service, path, methods, reason }) => ({ service, path, methods, reason }));
}

/**
 * What the front door's token authorizer verifies tokens against, in its
 * function's environment so the pack can compare it with
 * `platform.frontDoor.jwt`: the issuer, the audiences (a JSON array) and the
 * SHA-256 of the JWKS document it ships. The keys themselves stay in the
 * code package (`jwks.json`): Lambda caps a function's environment at 4 KB
 * (Lambda developer guide, "Lambda quotas"), and the function checks at
 * start that the packaged document's digest is the environment's
 * (components/frontDoorAuthorizer/index.js).
 */
export const AUTHORIZER_ENV = {
    issuer: "JWT_ISSUER",
    audiences: "JWT_AUDIENCES",
    jwksSha256: "JWKS_SHA256",
} as const;

/** The JWKS document an authorizer accepts no token with (no `jwt.jwks` configured yet). */
const NO_KEYS = { keys: [] };

/**
 * The JWKS document as the authorizer ships it: `platform.frontDoor.jwt.jwks`
 * (JSON text, components/catalog/expose.ts) re-serialized without
 * whitespace; the empty key set when none is configured (absent, or a
 * `{ needsInput }` placeholder, which the program plans as absent).
 * Undefined for text that is not JSON (the catalog validation refuses it:
 * components/catalog/expose.ts `jwksProblem`).
 */
export function jwksDocument(jwks: unknown): string | undefined {
    if (typeof jwks === "string") {
        try {
            return JSON.stringify(JSON.parse(jwks));
        } catch {
            return undefined;
        }
    }
    return JSON.stringify(NO_KEYS);
}

/** The SHA-256 (hex) of a JWKS document's text, as the authorizer's JWKS_SHA256 carries it. */
export function jwksDigest(document: string): string {
    return createHash("sha256").update(document, "utf8").digest("hex");
}
