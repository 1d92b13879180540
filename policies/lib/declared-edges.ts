import { FRONT_DOOR_CONSUMER } from "./front-door";

/**
 * A stack's declared edges: the one derivation of "who may reach whom".
 *
 * Read by the program (index.ts exports them as `declaredEdges`;
 * components/platform.ts admits their consumers), by the pack (the catalog
 * view the rules read, lib/catalog.ts, and the reachability model's intent,
 * lib/reachability/catalog.ts) and by the environment plan. The program
 * re-exports it from components/catalog.
 *
 * No imports besides the front door's name: the program loads this module.
 */

/** `consumer` reaches `provider` through an interface endpoint in the consumer's VPC. */
export interface DeclaredEdge {
    consumer: string;
    provider: string;
    /** Where the catalog declares it: a service's `consumes`, or the API front door's edge VPC consuming an exposed service. */
    via: "consumes" | "front door";
}

/** `consumer->provider`: how tags, outputs and policy config name an edge. */
export function edgeName(e: { consumer: string; provider: string }): string {
    return `${e.consumer}->${e.provider}`;
}

function record(v: unknown): Record<string, unknown> | undefined {
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * The edges a catalog declares, sorted by name:
 *
 * - every service's `consumes` entry;
 * - when the platform has a `frontDoor`, its edge VPC (named
 *   FRONT_DOOR_CONSUMER) consumes every service with `expose` reached through
 *   the VPC link, i.e. every exposed service but those with
 *   `integration: lambda`, which API Gateway invokes directly
 *   (components/frontDoor.ts creates exactly these endpoints).
 *
 * Takes the catalog as components/catalog validated it, or as the stack's
 * configuration holds it (`privatelink-platform:services` and `:platform`,
 * parsed); malformed entries are skipped (the catalog's validation reports
 * them).
 */
export function declaredEdges(services: unknown, platform: unknown): DeclaredEdge[] {
    const out: DeclaredEdge[] = [];
    const list = Array.isArray(services) ? services : [];
    for (const s of list) {
        const spec = record(s);
        if (!spec || typeof spec.name !== "string") continue;
        for (const p of Array.isArray(spec.consumes) ? spec.consumes : []) {
            if (typeof p === "string") out.push({ consumer: spec.name, provider: p, via: "consumes" });
        }
    }
    if (record(record(platform)?.frontDoor)) {
        for (const s of list) {
            const spec = record(s);
            const expose = record(spec?.expose);
            if (spec && typeof spec.name === "string" && expose && expose.integration !== "lambda") {
                out.push({ consumer: FRONT_DOOR_CONSUMER, provider: spec.name, via: "front door" });
            }
        }
    }
    return out.sort((a, b) => (edgeName(a) < edgeName(b) ? -1 : edgeName(a) > edgeName(b) ? 1 : 0));
}
