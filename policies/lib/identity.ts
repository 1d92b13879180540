/**
 * The environment's identity set: the AWS accounts that are the
 * environment's own or that it declares it deals with, built from
 * configuration only (the stack's configuration, which the engine hands the
 * pack in PULUMI_CONFIG, and the pack's own configuration). Never from the
 * plan: a resource created through a provider in another account, or an ARN
 * pasted into a property, does not make that account "own".
 *
 * Sources, each recorded with where it was declared:
 *
 * - the deploying account: `aws:allowedAccountIds` (the AWS provider refuses
 *   to run with credentials of any other account: the provider's
 *   configuration reference, "allowed_account_ids", terraform-provider-aws
 *   website/docs/index.html.markdown) and the identity rules' `accountIds`
 *   (policy-pack configuration);
 * - shard accounts: `privatelink-platform:shards[].account` (a shard deployed
 *   into another account through an assumed role, docs/scale.md);
 * - declared principals: `services[].allowedPrincipals`,
 *   `services[].subscribers` (declared subscribers of a service),
 *   `platform.consumerPrincipal`, `platform.eks.adminRoleArns` /
 *   `viewRoleArns`, and the declared resources of `platform.frontDoor`
 *   (the Cognito user pool) and of `notifications.subscribers`;
 * - AWS-owned accounts AWS documents for a service (policies/facts/aws-accounts.ts).
 *
 * A value still left as `{ needsInput: ... }` declares nothing yet: it is
 * listed in `pending`.
 *
 * Declared exceptions (an account outside the set the environment deals
 * with on purpose) carry a reason and an expiry, checked like exemptions
 * (lib/exemptions.ts).
 */
import { AWS_SERVICE_ACCOUNTS, DEPLOYING_ACCOUNT_KEY } from "../facts/aws-accounts";

export { DEPLOYING_ACCOUNT_KEY };
import { expiryProblem, MIN_REASON_LENGTH } from "./exemptions";
import { configValue } from "./stack-config";
import { asArray, get, isRecord, str } from "./values";

export const ACCOUNT_ID = /^\d{12}$/;

/** The account of an ARN: 12 digits, "aws" (AWS-owned), "" (none, e.g. an S3 bucket), "*" (a pattern matching any account); undefined for a non-ARN. */
export function arnAccount(value: string): string | undefined {
    const m = /^arn:(?:aws[a-z-]*|\*|[^:]*[*?][^:]*):[^:]*:[^:]*:([^:]*):/.exec(value);
    if (!m) return undefined;
    const a = m[1];
    return /[*?]/.test(a) ? "*" : a;
}

/** The account a declared value names: an account id, or the account of a principal or resource ARN. */
export function accountNamed(value: string): string | undefined {
    if (ACCOUNT_ID.test(value)) return value;
    const a = arnAccount(value);
    return a !== undefined && ACCOUNT_ID.test(a) ? a : undefined;
}

export interface DeclaredException {
    /** An account id, or an organization id (o-...). */
    account: string;
    reason: string;
    expires: string;
    /** Why it excepts nothing (expired, no reason, malformed). */
    problem?: string;
}

export interface IdentitySet {
    /** Account -> where the configuration declares it. */
    accounts: ReadonlyMap<string, string>;
    /** True when the deploying account itself is declared (aws:allowedAccountIds or accountIds). */
    deployingDeclared: boolean;
    /** Declared fields whose value is still { needsInput }. */
    pending: string[];
    /** Declared exceptions, valid or not. */
    exceptions: DeclaredException[];
}

/** The identity rules' shared configuration (each rule gets only its own entry, so each carries these keys). */
export interface IdentityConfig {
    accountIds?: unknown;
    exceptions?: unknown;
}

export const IDENTITY_CONFIG_SCHEMA = {
    accountIds: {
        type: "array",
        items: { type: "string", pattern: "^\\d{12}$" },
        default: [],
        description: "The environment's own accounts besides aws:allowedAccountIds and the shards' accounts (the account the stack deploys into, when the stack does not set aws:allowedAccountIds).",
    },
    exceptions: {
        type: "array",
        description: "Accounts (or organizations, o-...) outside the environment it deals with on purpose: {account, reason (>= 10 chars), expires (ISO date at most 180 days ahead)}.",
        items: { type: "object", properties: { account: { type: "string" }, reason: { type: "string" }, expires: { type: "string" } } },
        default: [],
    },
} as const;

function isNeedsInput(v: unknown): boolean {
    return isRecord(v) && "needsInput" in v;
}

/** Builds the set. `packConfig` is the calling rule's own configuration; `now` dates the exceptions. */
export function environmentIdentity(packConfig: IdentityConfig = {}, now: Date = new Date()): IdentitySet {
    const accounts = new Map<string, string>();
    const pending: string[] = [];
    let deployingDeclared = false;
    const add = (value: unknown, where: string): void => {
        if (isNeedsInput(value)) {
            pending.push(where);
            return;
        }
        for (const v of asArray(value)) {
            if (isNeedsInput(v)) {
                pending.push(where);
                continue;
            }
            const a = typeof v === "string" ? accountNamed(v.trim()) : undefined;
            if (a && !accounts.has(a)) accounts.set(a, where);
        }
    };
    // The deploying account.
    let allowed = configValue("allowedAccountIds", "aws");
    if (typeof allowed === "string" && !allowed.trim().startsWith("[")) allowed = allowed.split(",").map((s) => s.trim());
    const before = accounts.size;
    add(allowed, DEPLOYING_ACCOUNT_KEY);
    add(packConfig.accountIds, "accountIds (policy-pack configuration)");
    deployingDeclared = accounts.size > before;
    // Shards.
    for (const s of asArray(configValue("shards"))) {
        const name = str(get(s, "name")) ?? "?";
        if (get(s, "account") !== undefined) add(get(s, "account"), `shards[${name}].account`);
    }
    // Declared principals and resources of the catalog.
    for (const s of asArray(configValue("services"))) {
        const name = str(get(s, "name")) ?? "?";
        add(get(s, "allowedPrincipals"), `services[${name}].allowedPrincipals`);
        for (const sub of asArray(get(s, "subscribers"))) {
            add(isRecord(sub) ? [get(sub, "principal"), get(sub, "account"), get(sub, "principals")].flat() : sub, `services[${name}].subscribers`);
        }
        for (const sub of asArray(get(get(s, "notifications"), "subscribers"))) add(get(sub, "endpoint"), `services[${name}].notifications.subscribers`);
    }
    const platform = configValue("platform");
    add(get(platform, "consumerPrincipal"), "platform.consumerPrincipal");
    add(get(get(platform, "eks"), "adminRoleArns"), "platform.eks.adminRoleArns");
    add(get(get(platform, "eks"), "viewRoleArns"), "platform.eks.viewRoleArns");
    add(get(get(get(platform, "frontDoor"), "cognito"), "userPoolArn"), "platform.frontDoor.cognito.userPoolArn");
    for (const sub of asArray(get(get(platform, "notifications"), "subscribers"))) add(get(sub, "endpoint"), "platform.notifications.subscribers");
    // AWS-owned accounts AWS documents for this Region.
    const region = str(configValue("region", "aws"));
    for (const f of AWS_SERVICE_ACCOUNTS) {
        if (region !== undefined && f.region === region && !accounts.has(f.account)) accounts.set(f.account, `AWS-owned: ${f.what} (${f.source})`);
    }
    const exceptions = asArray(packConfig.exceptions).map((e) => checkException(e, now));
    return { accounts, deployingDeclared, pending, exceptions };
}

function checkException(raw: unknown, now: Date): DeclaredException {
    const account = str(get(raw, "account"))?.trim() ?? "";
    const reason = str(get(raw, "reason"))?.trim() ?? "";
    const expires = str(get(raw, "expires")) ?? "";
    const out: DeclaredException = { account, reason, expires };
    if (!ACCOUNT_ID.test(account) && !/^o-[a-z0-9]{10,32}$/.test(account)) out.problem = `names ${JSON.stringify(account)}, not an account id or an organization id (o-...)`;
    else if (reason.length < MIN_REASON_LENGTH) out.problem = `has no reason (at least ${MIN_REASON_LENGTH} characters)`;
    else out.problem = expiryProblem(expires, now);
    return out;
}

/** Whether `account` (an account id, or an organization id) belongs to the set or to a valid declared exception; the exception when it does. */
export function declares(set: IdentitySet, account: string): { own: boolean; exception?: DeclaredException } {
    if (set.accounts.has(account)) return { own: true };
    const exception = set.exceptions.find((e) => !e.problem && e.account === account);
    return { own: exception !== undefined, exception };
}

/** How messages show the set: "730841926357 (aws:allowedAccountIds), ...", or a note that it is empty. */
export function describeSet(set: IdentitySet): string {
    const own = [...set.accounts].filter(([, w]) => !w.startsWith("AWS-owned")).map(([a, w]) => `${a} (${w})`);
    return own.length > 0 ? own.join(", ") : "no account (the stack sets no aws:allowedAccountIds, no shard account and no principal)";
}
