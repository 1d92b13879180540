import { parsePolicyDocument, Statement } from "../policydoc";
import { actionMatches, globMatch } from "../glob";

/**
 * Evaluates a VPC endpoint policy for one request, with IAM's rules: an
 * explicit Deny wins, else some Allow must match principal, action, resource
 * and every condition. A condition key absent from the request makes a
 * positive operator false and a negated one (`...Not...`) true; `...IfExists`
 * is true when the key is absent (IAM User Guide, 'IAM JSON policy elements:
 * Condition operators'). No policy means full access (VPC User Guide,
 * 'Control access to VPC endpoints using endpoint policies').
 */
export interface PolicyRequest {
    action: string;
    resource: string;
    /** Request context keys (lower-cased) present in the request. */
    context: Record<string, string>;
    /** The principal's ARN or account, when known. */
    principal?: string;
}

export interface PolicyVerdict {
    allowed: boolean;
    /** Why not (or which statement allowed it). */
    reason: string;
}

function matchesAny(patterns: string[] | undefined, value: string, fn: (p: string, v: string) => boolean): boolean {
    return (patterns ?? []).some((p) => fn(p, value));
}

function actionOk(s: Statement, action: string): boolean {
    if (s.actions) return matchesAny(s.actions, action, actionMatches);
    if (s.notActions) return !matchesAny(s.notActions, action, actionMatches);
    return false;
}

function resourceOk(s: Statement, resource: string): boolean {
    if (s.resources) return matchesAny(s.resources, resource, globMatch);
    if (s.notResources) return !matchesAny(s.notResources, resource, globMatch);
    return true;
}

function principalOk(s: Statement, principal: string | undefined): boolean {
    const p = s.principals;
    if (!p) {
        return s.notPrincipals === undefined; // endpoint policies need a Principal; absent means everyone
    }
    if (p["*"] || (p.AWS ?? []).includes("*")) {
        return true;
    }
    if (!principal) {
        return false;
    }
    const account = /^\d{12}$/.test(principal) ? principal : /::(\d{12}):/.exec(principal)?.[1];
    return (p.AWS ?? []).some((x) => x === principal || x === account || (account !== undefined && x.endsWith(`::${account}:root`)));
}

const OPS: Record<string, (pattern: string, value: string) => boolean> = {
    stringequals: (p, v) => p === v,
    stringequalsignorecase: (p, v) => p.toLowerCase() === v.toLowerCase(),
    stringlike: (p, v) => globMatch(p, v),
    arnequals: (p, v) => p === v,
    arnlike: (p, v) => globMatch(p, v),
    bool: (p, v) => p.toLowerCase() === v.toLowerCase(),
};

function conditionOk(op: string, key: string, values: string[], ctx: Record<string, string>): boolean | undefined {
    let base = op.replace(/^forallvalues:|^foranyvalue:/, "");
    const ifExists = base.endsWith("ifexists");
    if (ifExists) base = base.slice(0, -"ifexists".length);
    const negated = base.includes("not");
    const positive = base.replace("not", "");
    const fn = OPS[positive];
    if (!fn) {
        return undefined; // operator not modelled
    }
    const v = ctx[key];
    if (v === undefined) {
        return ifExists || negated;
    }
    const hit = values.some((p) => fn(p, v));
    return negated ? !hit : hit;
}

function statementMatches(s: Statement, req: PolicyRequest): { match: boolean; unmodelled?: string } {
    if (!actionOk(s, req.action) || !resourceOk(s, req.resource) || !principalOk(s, req.principal)) {
        return { match: false };
    }
    for (const [op, block] of Object.entries(s.conditions)) {
        for (const [key, values] of Object.entries(block)) {
            const ok = conditionOk(op, key, values, req.context);
            if (ok === undefined) {
                return { match: false, unmodelled: `${op} ${key}` };
            }
            if (!ok) {
                return { match: false };
            }
        }
    }
    return { match: true };
}

const cache = new Map<string, ReturnType<typeof parsePolicyDocument>>();
function parsed(policy: unknown): ReturnType<typeof parsePolicyDocument> {
    if (typeof policy !== "string") return parsePolicyDocument(policy);
    let d = cache.get(policy);
    if (!d) {
        if (cache.size > 1000) cache.clear();
        d = parsePolicyDocument(policy);
        cache.set(policy, d);
    }
    return d;
}

export function evaluateEndpointPolicy(policy: unknown, req: PolicyRequest): PolicyVerdict {
    if (policy === undefined || policy === null || policy === "") {
        return { allowed: true, reason: "no endpoint policy (full access)" };
    }
    const doc = parsed(policy);
    if (doc.error) {
        return { allowed: false, reason: `the endpoint policy ${doc.error}` };
    }
    const label = (s: Statement) => (s.sid ? `statement "${s.sid}"` : `statement ${s.index}`);
    for (const s of doc.statements.filter((x) => x.effect === "Deny")) {
        if (statementMatches(s, req).match) {
            return { allowed: false, reason: `${label(s)} denies ${req.action} on ${req.resource}` };
        }
    }
    const notes: string[] = [];
    for (const s of doc.statements.filter((x) => x.effect === "Allow")) {
        const m = statementMatches(s, req);
        if (m.match) {
            return { allowed: true, reason: `${label(s)} allows it` };
        }
        if (m.unmodelled) notes.push(`${label(s)} uses ${m.unmodelled}, which the model does not evaluate`);
        else if (Object.keys(s.conditions).length > 0 && actionOk(s, req.action) && resourceOk(s, req.resource)) {
            const shown = Object.entries(s.conditions)
                .map(([op, b]) => Object.entries(b).map(([k, v]) => `${op} ${k} = ${v.join(",")} (request: ${req.context[k] ?? "absent"})`).join("; "))
                .join("; ");
            notes.push(`${label(s)}'s condition does not hold: ${shown}`);
        }
    }
    return { allowed: false, reason: `no statement allows ${req.action} on ${req.resource}${notes.length ? `: ${notes.join("; ")}` : ""}` };
}
