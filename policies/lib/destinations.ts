/**
 * Destinations read as edges: the values of the properties listed in
 * policies/facts/destinations.ts, and where each one points: into the plan
 * (a resource the stack creates), into the environment (an account of the
 * identity set, or the caller's own account for names that cannot leave it),
 * or outside.
 */
import { DESTINATIONS, DestinationKind, DestinationProperty } from "../facts/destinations";
import { ACCOUNT_ID, arnAccount } from "./identity";
import { PlanGraph, PlanNode } from "./plan/graph";
import { isRecord, UNKNOWN } from "./values";

/** The table by type token. */
const BY_TYPE = new Map<string, DestinationProperty[]>();
for (const p of DESTINATIONS) BY_TYPE.set(p.type, [...(BY_TYPE.get(p.type) ?? []), p]);

export function destinationsOf(type: string): readonly DestinationProperty[] {
    return BY_TYPE.get(type) ?? [];
}

/** One value at a path: `containerDefinitions[1].image`. */
export interface PathValue {
    path: string;
    value: unknown;
}

function parseJson(v: unknown): unknown {
    if (typeof v !== "string") return v;
    try {
        return JSON.parse(v);
    } catch {
        return undefined;
    }
}

/** Every value at a table path (`a{json}[].b.c`), lists at the leaf flattened. */
export function valuesAt(props: Record<string, unknown>, path: string): PathValue[] {
    let here: PathValue[] = [{ path: "", value: props }];
    for (const seg of path.split(".")) {
        const m = /^([^{[]+)(\{json\})?(\[\])?$/.exec(seg);
        if (!m) return [];
        const next: PathValue[] = [];
        for (const h of here) {
            if (h.value === UNKNOWN) {
                next.push({ path: h.path, value: UNKNOWN });
                continue;
            }
            if (!isRecord(h.value)) continue;
            let v: unknown = h.value[m[1]];
            const p = h.path ? `${h.path}.${m[1]}` : m[1];
            if (v === undefined || v === null) continue;
            if (m[2] && v !== UNKNOWN) v = parseJson(v);
            if (m[3] && Array.isArray(v)) v.forEach((x, i) => next.push({ path: `${p}[${i}]`, value: x }));
            else next.push({ path: p, value: v });
        }
        here = next;
    }
    return here.flatMap((h) => (Array.isArray(h.value) ? h.value.map((x, i) => ({ path: `${h.path}[${i}]`, value: x })) : [h]));
}

/** Properties whose values name a resource of the plan. */
const NAMING_PROPS = ["id", "arn", "name", "bucket", "repositoryUrl", "url", "invokeArn", "qualifiedArn", "qualifiedInvokeArn", "keyId", "dnsName", "imageUri", "ref"];

/** The values that name resources the plan creates (not reads), for one graph. */
const namedCache = new WeakMap<PlanGraph, { exact: Set<string>; arns: string[] }>();
export function planNames(g: PlanGraph): { exact: Set<string>; arns: string[] } {
    let hit = namedCache.get(g);
    if (hit) return hit;
    const exact = new Set<string>();
    for (const n of g.nodes) {
        if (n.record?.op === "read" || n.type.startsWith("pulumi:") || n.record?.custom === false) continue;
        for (const p of NAMING_PROPS) {
            const v = n.get(p);
            if (typeof v === "string" && v.length >= 3) exact.add(v);
        }
    }
    hit = { exact, arns: [...exact].filter((v) => v.startsWith("arn:")) };
    namedCache.set(g, hit);
    return hit;
}

/** Whether a value names a resource of the plan: equal to one of its names, or one of them followed by a qualifier (`:tag`, `/prefix`, `:*`). */
export function inPlan(g: PlanGraph, value: string): boolean {
    const names = planNames(g);
    if (names.exact.has(value)) return true;
    for (let i = value.length - 1; i > 0; i--) {
        const c = value[i];
        if ((c === ":" || c === "/" || c === "@") && names.exact.has(value.slice(0, i))) return true;
    }
    // A URL whose host is a name of the plan (a load balancer's DNS name).
    const host = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(value)?.[1];
    if (host !== undefined && names.exact.has(host.toLowerCase())) return true;
    // An API Gateway URI that invokes a function of the plan: arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations.
    const fn = /\/functions\/(arn:[^/]+)\/invocations$/.exec(value)?.[1];
    return fn !== undefined && (names.exact.has(fn) || names.arns.some((a) => fn.startsWith(`${a}:`)));
}

/** Where a destination value points. */
export type Where = { inside: true; why: string } | { inside: false; account?: string; why: string };

const ECR = /^(\d{12})\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//;

/**
 * Where one known value points. `own(account)` says whether an account is
 * the environment's.
 */
export function whereTo(g: PlanGraph, kind: DestinationKind, value: string, own: (account: string) => boolean): Where {
    const v = value.trim();
    if (v === "") return { inside: true, why: "empty" };
    if (inPlan(g, v)) return { inside: true, why: "a resource of the plan" };
    const arn = arnAccount(v);
    if (arn !== undefined) {
        if (arn === "aws") return { inside: false, account: "aws", why: "an AWS-owned resource" };
        if (arn === "*") return { inside: false, account: "*", why: "any account (a wildcard account)" };
        if (arn === "") return { inside: false, why: "a resource that names no account (an S3 bucket's owner is not in its name or ARN), not created by the plan" };
        if (ACCOUNT_ID.test(arn)) return own(arn) ? { inside: true, why: `account ${arn} of the environment` } : { inside: false, account: arn, why: `account ${arn}, not the environment's` };
    }
    switch (kind) {
        case "arn":
        case "key":
            // A plain name, id or alias resolves in the caller's own account.
            return /^(https?|s3):\/\//.test(v) ? { inside: false, why: "an address outside AWS's ARNs" } : { inside: true, why: "a name in the caller's own account" };
        case "bucket":
            return { inside: false, why: "a bucket the plan does not create (bucket names are global: the name says nothing of its owner)" };
        case "image": {
            const m = ECR.exec(v);
            if (m) return own(m[1]) ? { inside: true, why: `the ECR registry of account ${m[1]}` } : { inside: false, account: m[1], why: `the ECR registry of account ${m[1]}, not the environment's` };
            return { inside: false, why: "a registry outside the environment" };
        }
        case "url":
        case "any":
            return { inside: false, why: "an address the plan does not create" };
    }
}

/** A destination value of a node with the property it came from. */
export interface DestinationValue {
    node: PlanNode;
    property: DestinationProperty;
    path: string;
    value: unknown;
}

export function destinationValues(n: PlanNode): DestinationValue[] {
    const props = destinationsOf(n.type);
    if (props.length === 0) return [];
    const all = n.props;
    return props.flatMap((property) => valuesAt(all, property.path).map((v) => ({ node: n, property, path: v.path, value: v.value })));
}
