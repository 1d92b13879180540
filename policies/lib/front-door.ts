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

export interface OpenRoute {
    service: string;
    path: string;
    methods: string[];
    reason: string;
}

/**
 * The routes the catalog declares open: `auth: none` (on the expose block or
 * the route) with a non-empty reason. Raw config in, nothing thrown: what the
 * catalog validation refuses is simply not listed.
 */
export function openRoutes(services: unknown): OpenRoute[] {
    if (!Array.isArray(services)) {
        return [];
    }
    const open: OpenRoute[] = [];
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
            if (auth === "none" && typeof reason === "string" && reason.trim() !== "") {
                const methods = Array.isArray(route.methods) ? route.methods.filter((m): m is string => typeof m === "string") : [];
                open.push({ service: name, path: route.path, methods, reason: reason.trim() });
            }
        }
    }
    return open;
}
