/**
 * The plan's "Front door" section: the policy pack's route trace
 * (policies/lib/front-door-routes.ts `traceRoutes`, the one the rules
 * `apigateway-routes-match-catalog` and `apigateway-method-authorized`
 * decide with) run over the plan's records as the engine hands them to the
 * pack (policies/evaluate.ts `stackResources`), rendered. The plan shows,
 * per method, the hops the trace walked, the services it reaches, and where
 * and why it stopped, so what the plan draws is what the rules judge:
 *
 *   client → stage → method → integration → VPC link → edge ALB → listener →
 *   listener rule → target group → targets → accepter → interface endpoint →
 *   endpoint service → NLB → listener → target group → … → workload
 *
 * or, for a direct Lambda integration, method → integration → function.
 */
import { stackResources } from "../../policies/evaluate";
import { methodPath, traceRoutes, type Hop, type TracedRoute } from "../../policies/lib/front-door-routes";
import { APIGW } from "../../policies/lib/apigateway";
import { stackIndex } from "../../policies/lib/graph";
import type { EngineStep } from "./engine-steps";
import type { Mode, ResourceRecord } from "./monitor";

export type PathHop = Hop;

/** One method's trace, as plain data (the plan's `--json` carries these under `frontDoor`). */
export interface FrontDoorPath {
    /** `GET /orders`: the method and the resource path it serves. */
    route: string;
    /** The method's authorization type (`NONE`, `AWS_IAM`, `CUSTOM`, `COGNITO_USER_POOLS`), or `?` when unknown. */
    authorization: string;
    /** The authorizer the method names (its logical name), when it is one of the plan. */
    authorizer?: string;
    /** Hops from the stage to the last resource walked, in order. */
    hops: PathHop[];
    /** The services the route reaches, sorted. */
    services: string[];
    /** True when the trace reached a service. */
    complete: boolean;
    /** Why the trace did not reach a service (it stopped after the last hop). */
    stoppedAt?: string;
    /** Where the walk past the endpoint service (the provider's own NLB to its workload) stopped: shown, not judged. */
    tailStoppedAt?: string;
    /** What the trace could not decide in this mode (a value known only after `up`). */
    undecided?: string;
}

function pathOf(t: TracedRoute): FrontDoorPath {
    const undecided = !t.unknown
        ? undefined
        : typeof t.requestPath === "symbol"
          ? "the integration URI (the path the load balancer sees) is known after up: traced with the method's path"
          : "a value on the path is known only after up";
    return {
        route: `${typeof t.verb === "string" ? t.verb : "?"} ${t.path}`,
        authorization: typeof t.authorization === "string" ? t.authorization : t.authorization === undefined ? "NONE" : "?",
        ...(t.authorizer ? { authorizer: t.authorizer.name } : {}),
        hops: t.hops,
        services: [...t.services].sort(),
        complete: t.stoppedAt === undefined && t.services.size > 0,
        ...(t.stoppedAt !== undefined ? { stoppedAt: t.stoppedAt } : {}),
        ...(t.tailStoppedAt !== undefined ? { tailStoppedAt: t.tailStoppedAt } : {}),
        ...(undecided ? { undecided } : {}),
    };
}

/** Every method's path through the front door, as the pack traces it, in a stable order. */
export function traceFrontDoor(records: ResourceRecord[], mode: Mode): FrontDoorPath[] {
    if (!records.some(r => r.type === APIGW.method)) return [];
    // The plan graph other readers of these records built is reused.
    return traceRoutes(stackIndex(stackResources(records, mode, false))).map(pathOf).sort((a, b) => a.route.localeCompare(b.route));
}

/**
 * The plan's "Front door" section. Methods of one route that take the same
 * way (the route's prefix and its `{proxy+}` child, every verb) are one
 * entry, so a route reads as one line and its path as the next.
 */
export function renderFrontDoor(paths: readonly FrontDoorPath[], invokeUrl?: string): string[] {
    if (paths.length === 0) return [];
    const groups = new Map<string, { prefix: string; verbs: Set<string>; proxy: boolean; path: FrontDoorPath; auth: Set<string> }>();
    for (const p of paths) {
        const [verb, resource] = p.route.split(" ");
        const proxy = resource.endsWith("/{proxy+}");
        const prefix = proxy ? resource.slice(0, -"/{proxy+}".length) || "/" : resource;
        // Past the stage, the method and the integration: the way the request takes.
        const way = p.hops.filter(h => h.what !== "stage" && h.what !== "method" && !h.what.startsWith("integration")).map(h => h.urn).join(" ");
        const key = `${prefix} ${p.complete} ${p.services.join(",")} ${way}`;
        const g = groups.get(key) ?? { prefix, verbs: new Set<string>(), proxy: false, path: p, auth: new Set<string>() };
        g.verbs.add(verb);
        g.proxy ||= proxy;
        g.auth.add(p.authorizer ? `${p.authorization} (${p.authorizer})` : p.authorization);
        groups.set(key, g);
    }
    const complete = paths.filter(p => p.complete).length;
    const lines = [`Front door (${paths.length} methods, ${complete} reach a service${invokeUrl ? `; ${invokeUrl}` : ""}):`];
    for (const g of [...groups.values()].sort((a, b) => a.prefix.localeCompare(b.prefix))) {
        const p = g.path;
        const hops = p.hops.map(h => (h.what === "method" ? h.what : h.what.startsWith("integration") ? h.what : `${h.what} ${h.name}`));
        const reaches = p.services.length > 0 ? `  → ${p.services.join(", ")}` : "";
        lines.push(`    ${p.complete ? "✓" : "❌"} ${g.prefix}${g.proxy ? " (and below)" : ""}  ${[...g.verbs].join(" ")}  auth ${[...g.auth].join("/")}${reaches}`);
        lines.push(`        client → ${hops.join(" → ")}`);
        if (p.stoppedAt) lines.push(`        stops: ${p.stoppedAt}`);
        if (p.tailStoppedAt) lines.push(`        behind the endpoint service: ${p.tailStoppedAt}`);
        if (p.undecided) lines.push(`        in this mode: ${p.undecided}`);
    }
    lines.push("");
    return lines;
}

export interface StageAfterUpdate {
    /** The routes the stage serves once the update finished, sorted. */
    served: string[];
    /** Whether the update created a new deployment for the stage. */
    redeployed: boolean;
}

/** `GET /shop/{proxy+}` of every method of a plan, by URN (the pack's method path). */
function routesOf(records: ResourceRecord[]): Map<string, string> {
    const idx = stackIndex(stackResources(records, "up", false));
    return new Map(idx.ofType(APIGW.method).map(m => [m.urn, `${String(idx.prop(m, "httpMethod") ?? "?")} ${methodPath(idx, m)}`] as const));
}

/**
 * What the stage serves after updating from the plan `prev` to the plan
 * `next`, applying the engine's steps in the engine's order
 * (engine-steps.ts): an API Gateway deployment snapshots the methods that
 * exist when it is created ("A stage … represents a snapshot of the API",
 * API Gateway developer guide, "Deploy REST APIs in API Gateway"; changes
 * reach clients only through a new deployment: "Updates to REST APIs that
 * require redeployment"), and the stage serves its deployment's snapshot. A
 * method deleted before the new deployment is created is not in it; one
 * deleted after it still is.
 */
export function stageAfterUpdate(prev: ResourceRecord[], next: ResourceRecord[], steps: readonly EngineStep[]): StageAfterUpdate {
    const before = routesOf(prev);
    const after = routesOf(next);
    const live = new Map(before);
    let served = [...new Set(live.values())];
    let redeployed = false;
    for (const s of steps) {
        if (s.type === APIGW.method) {
            if (s.op === "create" || s.op === "create-replacement" || s.op === "update") live.set(s.urn, after.get(s.urn) ?? "?");
            else if (s.op !== "same") live.delete(s.urn);
        } else if (s.type === APIGW.deployment && (s.op === "create" || s.op === "create-replacement")) {
            served = [...new Set(live.values())];
            redeployed = true;
        }
    }
    return { served: served.sort(), redeployed };
}
