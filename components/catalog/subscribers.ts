/**
 * A service's subscribers in the catalog: who, in other AWS accounts, may
 * connect to its endpoint service (`subscribers`), and what happens to a
 * request from anyone else (`unknownSubscribers`). The schemas here; the
 * checks that need the raw entry (exactly one of account and principal, with
 * needs-input markers) in checkSubscribers. What the entries mean (principals,
 * expiry, decisions) lives in one place, policies/lib/subscriptions.js, which
 * the program, the pack and the subscription handler share. Plain functions,
 * no Pulumi.
 */
import { z } from "zod";
import { documentationPrincipal } from "../../policies/facts/documentation-values";
import { isExpired, lapsesAt, SUBSCRIPTION_HANDLER, UNKNOWN_SUBSCRIBERS } from "../../policies/lib/subscriptions";
import type { CatalogProblem } from "./errors";
import { principal } from "./fields";

const SUBSCRIBER_NAME = /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;
const CONTACT = /^([^@\s]+@[^@\s]+\.[^@\s]+|https:\/\/\S+)$/;

const account = z
    .string()
    .regex(/^\d{12}$/, { error: iss => `${JSON.stringify(iss.input)} is not an AWS account id (12 digits; a wildcard would admit anyone)` })
    .superRefine((id, ctx) => {
        const why = documentationPrincipal(id);
        if (why) ctx.addIssue({ code: "custom", message: `${why}; use the subscriber's own account, or leave it as { needsInput: "..." }` });
    });

export const subscriberSchema = z.strictObject({
    /** Who they are, as the audit log and the alerts name them. */
    name: z.string().regex(SUBSCRIBER_NAME, { error: iss => `${JSON.stringify(iss.input)} is not a subscriber name: lowercase letters, digits and hyphens, at most 64` }),
    /** Their AWS account: its root is admitted (any principal there may create the endpoint). */
    account: account.optional(),
    /** Or one principal (a role or user) in their account, the only one admitted to create the endpoint. */
    principal: principal.optional(),
    /** Who to call about the subscription: an e-mail address or an https URL. */
    contact: z.string().regex(CONTACT, { error: iss => `${JSON.stringify(iss.input)} is not a contact: an e-mail address or an https:// URL` }),
    /** The last day (YYYY-MM-DD, UTC) the subscriber is admitted; from the next day it is not, and its connections are revoked. */
    expires: z
        .string()
        .refine(d => lapsesAt(d) !== undefined, { error: iss => `${JSON.stringify(iss.input)} is not a date: write the last day the subscriber is admitted as YYYY-MM-DD (UTC), e.g. "2027-06-30"` })
        .optional(),
});

/** The service fields of this file (components/catalog/schema.ts spreads them into the service schema). */
export const SUBSCRIBER_FIELDS = {
    /** Who may connect from other accounts (docs/saas.md). */
    subscribers: z.array(subscriberSchema).default([]),
    /** A request from an account no subscriber names: reject it (default), or hold it pending with an alert. */
    unknownSubscribers: z
        .enum(UNKNOWN_SUBSCRIBERS as unknown as ["reject", "hold"], { error: `use ${UNKNOWN_SUBSCRIBERS.join(" or ")}` })
        .default("reject"),
};

export type SubscriberEntry = z.output<typeof subscriberSchema>;

/**
 * Per subscriber, exactly one of `account` and `principal` (a needs-input
 * marker counts as given); names unique per service; one entry per account.
 */
export function checkSubscribers(at: string, entry: Record<string, unknown>, needsInputPaths: ReadonlySet<string>, problems: CatalogProblem[]): void {
    if (entry.name === SUBSCRIPTION_HANDLER) {
        problems.push({ path: `${at}.name`, message: `"${SUBSCRIPTION_HANDLER}" is the subscription handler's own name (its VPC and function); rename the service` });
    }
    if (!Array.isArray(entry.subscribers)) return;
    const names = new Map<string, number>();
    const accounts = new Map<string, number>();
    entry.subscribers.forEach((s, j) => {
        if (!isRecord(s)) return;
        const sat = `${at}.subscribers[${j}]`;
        const given = (["account", "principal"] as const).filter(f => s[f] !== undefined || needsInputPaths.has(`${sat}.${f}`));
        if (given.length !== 1) {
            problems.push({
                path: sat,
                message: given.length === 0
                    ? "needs account (their 12-digit AWS account id) or principal (a role or user ARN in it), or { needsInput: \"...\" } for one"
                    : "gives both account and principal: give one (account admits any principal of the account, principal only that one)",
            });
        }
        if (typeof s.name === "string") {
            const first = names.get(s.name);
            if (first !== undefined) problems.push({ path: `${sat}.name`, message: `${JSON.stringify(s.name)} is listed twice (also subscribers[${first}]); name each subscriber once` });
            else names.set(s.name, j);
        }
        const acct = typeof s.account === "string" ? s.account : typeof s.principal === "string" ? /::(\d{12}):/.exec(s.principal)?.[1] : undefined;
        if (acct) {
            const first = accounts.get(acct);
            // The handler sees only the account that created an endpoint (VpcEndpointOwner), so one entry decides per account.
            if (first !== undefined) problems.push({ path: sat, message: `account ${acct} already has subscribers[${first}]: a connection shows only its account, so list each account once` });
            else accounts.set(acct, j);
        }
    });
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One subscriber as the plan shows it: who, and what the handler does with its requests at the plan's date. */
export interface SubscriberView {
    name: string;
    account?: string;
    principal?: string;
    contact: string;
    expires?: string;
    /** `accept` (once its account or principal is given), or `reject (expired after <date>)`. */
    decision: string;
}

/**
 * Per service with subscribers, its subscribers and the decision rule, as
 * the stack output `subscriptions` shows them (judged at `now`, the plan's date).
 */
export function subscriptionsView(services: readonly { name: string; subscribers: SubscriberEntry[]; unknownSubscribers: string }[], now: Date): Record<string, { rule: string; subscribers: SubscriberView[] }> {
    const out: Record<string, { rule: string; subscribers: SubscriberView[] }> = {};
    for (const s of services.filter(x => x.subscribers.length > 0)) {
        out[s.name] = {
            rule: `a request from a subscriber's account is accepted until its expiry date; an expired subscriber's is rejected and its connections revoked; anyone else's is ${s.unknownSubscribers === "hold" ? "left pending with an alert (unknownSubscribers: hold)" : "rejected (unknownSubscribers: reject)"}`,
            subscribers: s.subscribers.map(sub => ({
                ...sub,
                decision: isExpired(sub, now) ? `reject (expired after ${sub.expires})`
                    : sub.account === undefined && sub.principal === undefined ? "accept, once its account or principal is set (needs input)" : "accept",
            })),
        };
    }
    return out;
}
