import { UnknownValueError } from "./engine";
import { actionMatches } from "./glob";
import { asArray, get, isRecord, text } from "./values";

/**
 * IAM policy documents as programs write them: a JSON string or an object,
 * `Statement` an object or a list, `Action`/`Resource`/principals a string or a
 * list, `NotAction`/`NotResource` instead of their positive forms.
 */
export interface Statement {
    index: number;
    sid?: string;
    effect: "Allow" | "Deny";
    actions?: string[];
    notActions?: string[];
    resources?: string[];
    notResources?: string[];
    /** Principal values by kind ("AWS", "Service", "Federated", "CanonicalUser"); "*" as {"*": ["*"]}. */
    principals?: Record<string, string[]>;
    notPrincipals?: Record<string, string[]>;
    /** Condition operator (lower-cased) -> key (lower-cased) -> values. */
    conditions: Record<string, Record<string, string[]>>;
}

export interface ParsedDocument {
    statements: Statement[];
    error?: string;
}

function strings(v: unknown): string[] {
    return asArray(v).map((x) => text(x));
}

function principalsOf(v: unknown): Record<string, string[]> | undefined {
    if (v === undefined || v === null) {
        return undefined;
    }
    if (typeof v === "string") {
        return { [v === "*" ? "*" : "AWS"]: [v] };
    }
    if (isRecord(v)) {
        const out: Record<string, string[]> = {};
        for (const k of Object.keys(v)) {
            out[k] = strings(get(v, k));
        }
        return out;
    }
    return {};
}

function conditionsOf(v: unknown): Record<string, Record<string, string[]>> {
    const out: Record<string, Record<string, string[]>> = {};
    if (!isRecord(v)) {
        return out;
    }
    for (const op of Object.keys(v)) {
        const block = get(v, op);
        if (!isRecord(block)) {
            continue;
        }
        const m: Record<string, string[]> = {};
        for (const key of Object.keys(block)) {
            m[key.toLowerCase()] = strings(get(block, key));
        }
        out[op.toLowerCase()] = m;
    }
    return out;
}

/**
 * Parses a policy document. Unknown values inside it propagate as
 * UnknownValueError (the engine's preview advisory); a malformed document
 * yields `error` and no statements.
 */
export function parsePolicyDocument(doc: unknown): ParsedDocument {
    let d: unknown = doc;
    if (typeof doc === "string") {
        try {
            d = JSON.parse(doc);
        } catch {
            return { statements: [], error: "is not valid JSON" };
        }
    }
    if (d === undefined || d === null || d === "") {
        return { statements: [] };
    }
    if (!isRecord(d)) {
        return { statements: [], error: "is not a JSON object" };
    }
    const raw = get(d, "Statement") ?? get(d, "statement") ?? get(d, "statements");
    const list = Array.isArray(raw) ? raw : isRecord(raw) ? [raw] : [];
    const statements: Statement[] = [];
    list.forEach((s: unknown, index: number) => {
        if (!isRecord(s)) {
            return;
        }
        const pick = (...keys: string[]) => {
            for (const k of keys) {
                const v = get(s, k);
                if (v !== undefined) {
                    return v;
                }
            }
            return undefined;
        };
        const effectRaw = pick("Effect", "effect");
        const st: Statement = {
            index,
            effect: typeof effectRaw === "string" && effectRaw.toLowerCase() === "deny" ? "Deny" : "Allow",
            conditions: conditionsOf(pick("Condition", "condition", "conditions")),
        };
        const sid = pick("Sid", "sid");
        if (typeof sid === "string") {
            st.sid = sid;
        }
        const a = pick("Action", "action", "actions");
        if (a !== undefined) st.actions = strings(a);
        const na = pick("NotAction", "notAction", "notActions");
        if (na !== undefined) st.notActions = strings(na);
        const r = pick("Resource", "resource", "resources");
        if (r !== undefined) st.resources = strings(r);
        const nr = pick("NotResource", "notResource", "notResources");
        if (nr !== undefined) st.notResources = strings(nr);
        const p = pick("Principal", "principal", "principals");
        if (p !== undefined) st.principals = principalsOf(p);
        const np = pick("NotPrincipal", "notPrincipal", "notPrincipals");
        if (np !== undefined) st.notPrincipals = principalsOf(np);
        statements.push(st);
    });
    return { statements };
}

/** Whether an Allow statement grants `action` (glob patterns, NotAction inverted). */
export function grantsAction(s: Statement, action: string): boolean {
    if (s.effect !== "Allow") {
        return false;
    }
    if (s.actions) {
        return s.actions.some((p) => actionMatches(p, action));
    }
    if (s.notActions) {
        return !s.notActions.some((p) => actionMatches(p, action));
    }
    return false;
}

/** Whether the statement applies to every resource (`*`, or a NotResource form). */
export function onAllResources(s: Statement): boolean {
    if (s.resources) {
        return s.resources.some((r) => r === "*");
    }
    // NotResource means "everything except": treat as all resources.
    return s.notResources !== undefined || s.resources === undefined;
}

/** Wildcard actions in an Allow statement: `*`, `service:*`, or a NotAction list (everything but). */
export function wildcardActions(s: Statement): string[] {
    if (s.effect !== "Allow") {
        return [];
    }
    if (s.actions) {
        return s.actions.filter((a) => a === "*" || /^([a-z0-9-]+|\*):\*$/i.test(a));
    }
    if (s.notActions) {
        return [`NotAction ${JSON.stringify(s.notActions)}`];
    }
    return [];
}

export function hasCondition(s: Statement, key: string): boolean {
    const k = key.toLowerCase();
    return Object.values(s.conditions).some((m) => k in m);
}

/** Principal values of every kind in a statement (for trust policies). */
export function principalValues(s: Statement): { kind: string; value: string }[] {
    const out: { kind: string; value: string }[] = [];
    for (const [kind, values] of Object.entries(s.principals ?? {})) {
        for (const value of values) {
            out.push({ kind, value });
        }
    }
    return out;
}

/** Re-throws UnknownValueError; anything else is swallowed into `fallback`. */
export function rethrowUnknown<T>(fn: () => T, fallback: T): T {
    try {
        return fn();
    } catch (e) {
        if (e instanceof UnknownValueError) {
            throw e;
        }
        return fallback;
    }
}

/** Allow statements granting the `*` principal (`"*"` or `{ AWS: "*" }`), with the form used, for messages. */
export function wildcardPrincipalGrants(doc: ParsedDocument): { statement: Statement; shown: string }[] {
    const out: { statement: Statement; shown: string }[] = [];
    for (const s of doc.statements) {
        if (s.effect !== "Allow") {
            continue;
        }
        for (const p of principalValues(s)) {
            if (p.value === "*") {
                out.push({ statement: s, shown: p.kind === "*" ? '"*"' : `{ ${p.kind}: "*" }` });
            }
        }
    }
    return out;
}

export function statementName(s: Statement): string {
    return s.sid ?? `#${s.index}`;
}
