/**
 * Every account a resource's properties name, wherever they name it: a
 * principal or resource ARN in any property, an account id under a property
 * that holds one, a principal or condition of a policy document (documents
 * given as JSON strings included, at any depth), and the condition keys that
 * name accounts, principals or organizations read as what they are.
 *
 * Condition keys (IAM User Guide, "AWS global condition context keys",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html;
 * AWS KMS Developer Guide, "AWS KMS condition keys",
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html):
 *
 * - account ids: aws:SourceAccount, aws:PrincipalAccount, aws:ResourceAccount,
 *   aws:SourceOwner, kms:CallerAccount, s3:ResourceAccount;
 * - principal or resource ARNs: aws:SourceArn, aws:PrincipalArn,
 *   kms:GranteePrincipal, kms:RetiringPrincipal, iam:AssociatedResourceArn;
 * - organizations: aws:PrincipalOrgID, aws:ResourceOrgID, aws:SourceOrgID
 *   and their *OrgPaths (every account of that organization).
 *
 * In an Allow statement the values of positive operators (StringEquals,
 * ArnLike, ...) are whom it admits; in a Deny statement the values of
 * negated operators (StringNotEquals, ArnNotLike, ...) are whom it lets
 * through. A wildcard in the account field of a pattern
 * (`arn:aws:iam::*:role/ci`) or a pattern that is only wildcards is "any
 * account". Values under the other operators restrict, so they name no
 * one admitted.
 */
import { ACCOUNT_ID, arnAccount } from "./identity";
import { isRecord, UNKNOWN } from "./values";

export interface AccountRef {
    /** Where in the resource: `policy.Statement[1].Condition.StringEquals.kms:CallerAccount`. */
    path: string;
    /** A 12-digit account, "*" (any account), or an organization id (o-...). */
    account: string;
    /** The value as written. */
    value: string;
    /** What the value is: "principal", "condition kms:calleraccount", "ARN", "account id". */
    how: string;
}

/** The condition keys read, as the IAM and KMS guides spell them. */
const ACCOUNT_KEY_NAMES = ["aws:SourceAccount", "aws:PrincipalAccount", "aws:ResourceAccount", "aws:SourceOwner", "kms:CallerAccount", "s3:ResourceAccount"];
const ARN_KEY_NAMES = ["aws:SourceArn", "aws:PrincipalArn", "kms:GranteePrincipal", "kms:RetiringPrincipal", "iam:AssociatedResourceArn"];
const ORG_KEY_NAMES = ["aws:PrincipalOrgID", "aws:ResourceOrgID", "aws:SourceOrgID", "aws:PrincipalOrgPaths", "aws:ResourceOrgPaths", "aws:SourceOrgPaths"];
const lower = (names: string[]) => new Set(names.map((k) => k.toLowerCase()));
const ACCOUNT_KEYS = lower(ACCOUNT_KEY_NAMES);
const ARN_KEYS = lower(ARN_KEY_NAMES);
const ORG_KEYS = lower(ORG_KEY_NAMES);

/** Every condition key read as naming an account, a principal or an organization (for the docs). */
export const ACCOUNT_CONDITION_KEYS: readonly string[] = [...ACCOUNT_KEY_NAMES, ...ARN_KEY_NAMES, ...ORG_KEY_NAMES];

/** Properties whose plain 12-digit values are account ids (the provider's names for them). */
const ACCOUNT_PROPS = new Set(["accountid", "accountids", "allowedaccountids", "owneraccountid", "sourceaccount", "awsaccountid", "principal", "principals", "allowedprincipals", "principalarn", "targetaccount", "account", "destinationaccount", "ownerid", "aws"]);

/** Properties that say nothing about where data goes or who is admitted. */
const SKIP_PROPS = new Set(["tags", "tagsAll", "__defaults", "urn"]);

/** A JSON document inside a string: parsed once per text. */
const parsed = new Map<string, unknown>();
function parseJson(s: string): unknown {
    const t = s.trim();
    if (!(t.startsWith("{") || t.startsWith("["))) return undefined;
    if (parsed.has(t)) return parsed.get(t);
    let v: unknown;
    try {
        v = JSON.parse(t);
    } catch {
        v = undefined;
    }
    if (parsed.size > 2000) parsed.clear();
    parsed.set(t, v);
    return v;
}

function pick(o: Record<string, unknown>, ...keys: string[]): unknown {
    for (const k of keys) if (k in o) return o[k];
    return undefined;
}

function list(v: unknown): unknown[] {
    return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

/** The account a condition value names under an account, ARN or organization key; undefined when it names none. */
function conditionAccount(key: string, value: string): string | undefined {
    const v = value.trim();
    if (ORG_KEYS.has(key)) return /^[*?]+$/.test(v) ? "*" : (/^(o-[a-z0-9]+)/.exec(v)?.[1] ?? (v.includes("*") ? "*" : undefined));
    if (/^[*?]+$/.test(v)) return "*";
    if (ACCOUNT_KEYS.has(key)) return ACCOUNT_ID.test(v) ? v : /[*?]/.test(v) ? "*" : undefined;
    const a = arnAccount(v);
    return a === "*" || (a !== undefined && ACCOUNT_ID.test(a)) ? a : undefined;
}

function statementRefs(s: Record<string, unknown>, path: string, out: AccountRef[]): void {
    const effect = pick(s, "Effect", "effect");
    const deny = typeof effect === "string" && effect.toLowerCase() === "deny";
    if (!deny) {
        for (const [pk, label] of [["Principal", "principal"], ["principal", "principal"], ["NotPrincipal", "NotPrincipal (every principal but these)"]] as const) {
            const p = s[pk];
            if (p === undefined) continue;
            const values: [string, unknown][] = typeof p === "string" ? [["AWS", p]] : isRecord(p) ? Object.entries(p) : [];
            for (const [kind, v] of values) {
                for (const x of list(v)) {
                    if (typeof x !== "string" || kind === "Service" || kind === "Federated" || x === "*") continue;
                    const a = ACCOUNT_ID.test(x) ? x : arnAccount(x);
                    if (a !== undefined && (a === "*" || ACCOUNT_ID.test(a))) out.push({ path: `${path}.${pk}.${kind}`, account: a, value: x, how: label });
                }
            }
        }
    }
    const cond = pick(s, "Condition", "condition");
    if (isRecord(cond)) {
        for (const [op, block] of Object.entries(cond)) {
            if (!isRecord(block)) continue;
            const lop = op.toLowerCase();
            const negated = /not/.test(lop.replace(/^for(all|any)values:/, ""));
            if (lop === "null" || lop.startsWith("bool") || negated !== deny) continue;
            for (const [key, values] of Object.entries(block)) {
                const k = key.toLowerCase();
                if (!ACCOUNT_KEYS.has(k) && !ARN_KEYS.has(k) && !ORG_KEYS.has(k)) continue;
                for (const x of list(values)) {
                    if (typeof x !== "string") continue;
                    const a = conditionAccount(k, x);
                    if (a !== undefined) out.push({ path: `${path}.Condition.${op}.${key}`, account: a, value: x, how: `condition ${key}` });
                }
            }
        }
    }
    // Resources and the rest of the statement: ARNs wherever they are.
    for (const [k, v] of Object.entries(s)) {
        if (/^(not)?principal$|^condition$|^effect$|^sid$|^(not)?action$/i.test(k)) continue;
        walk(v, `${path}.${k}`, k, out);
    }
}

function walk(v: unknown, path: string, key: string, out: AccountRef[]): void {
    if (v === undefined || v === null || v === UNKNOWN) return;
    if (typeof v === "string") {
        const doc = parseJson(v);
        if (doc !== undefined) {
            walk(doc, path, key, out);
            return;
        }
        const a = arnAccount(v);
        if (a !== undefined && (a === "*" || ACCOUNT_ID.test(a))) {
            // A pattern that fixes nothing but the service (`arn:aws:logs:*:*:*`) is an IAM resource
            // pattern over every account; an identity policy's Resource is judged as what it reaches.
            out.push({ path, account: a, value: v, how: "ARN" });
        } else if (ACCOUNT_ID.test(v) && ACCOUNT_PROPS.has(key.toLowerCase())) {
            out.push({ path, account: v, value: v, how: "account id" });
        }
        return;
    }
    if (Array.isArray(v)) {
        v.forEach((x, i) => walk(x, `${path}[${i}]`, key, out));
        return;
    }
    if (!isRecord(v)) return;
    const statements = pick(v, "Statement", "statement");
    if (statements !== undefined && (isRecord(statements) || Array.isArray(statements))) {
        list(statements).forEach((s, i) => {
            if (isRecord(s)) statementRefs(s, `${path}.Statement[${i}]`, out);
        });
        for (const [k, x] of Object.entries(v)) if (k !== "Statement" && k !== "statement") walk(x, `${path}.${k}`, k, out);
        return;
    }
    for (const [k, x] of Object.entries(v)) {
        if (SKIP_PROPS.has(k)) continue;
        walk(x, path ? `${path}.${k}` : k, k, out);
    }
}

/** Every account reference in a resource's properties (plain JSON, UNKNOWN for unknown values). */
export function accountRefs(props: Record<string, unknown>): AccountRef[] {
    const out: AccountRef[] = [];
    walk(props, "", "", out);
    return out;
}
