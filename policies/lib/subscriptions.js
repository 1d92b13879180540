// Who may connect to an endpoint service, and what happens to a connection
// request: the one derivation of a service's `subscribers` (the catalog),
// read by the program (the endpoint service's allowed principals, the plan's
// decision table), by the policy pack (the principals it expects) and by the
// subscription handler, which ships this file as it is
// (services/subscription-handler/). Plain CommonJS with no imports, because
// the handler runs it on the Lambda Node.js runtime as it is; types in
// subscriptions.d.ts.
"use strict";

/**
 * The subscription handler's own name: its VPC's owner (the `privatelink:service`
 * tag), its component's resources; no catalog service may take it.
 */
const SUBSCRIPTION_HANDLER = "subscription-handler";

/** Its component's type token. */
const SUBSCRIPTION_HANDLER_COMPONENT = "privatelink:saas:SubscriptionHandler";

/** The AWS-service endpoints in its VPC: EC2 (decide connections) and SNS (say so). */
const HANDLER_ENDPOINTS = { interface: ["ec2", "sns"], gateway: [] };

/** Whether a catalog service (validated, or as the configuration holds it) has subscribers the handler decides for. */
function hasSubscribers(service) {
    return Boolean(record(service) && Array.isArray(service.subscribers) && service.subscribers.length > 0);
}

/** When a request comes from an account nobody listed: `reject` it, or `hold` it pending for a person. */
const UNKNOWN_SUBSCRIBERS = ["reject", "hold"];

/** Overrides the plan's date (YYYY-MM-DD or an ISO time): tests and what-if plans. */
const PLAN_DATE_ENV = "PRIVATELINK_PLAN_DATE";

function record(v) {
    return typeof v === "object" && v !== null && !Array.isArray(v) ? v : undefined;
}

/**
 * The time expiry is judged at: the plan's (and so `pulumi up`'s) date unless
 * PRIVATELINK_PLAN_DATE says otherwise; the handler passes its own clock.
 */
function planDate(env) {
    const given = (env || process.env)[PLAN_DATE_ENV];
    if (given) {
        const d = new Date(given);
        if (!Number.isNaN(d.getTime())) return d;
    }
    return new Date();
}

/**
 * The first instant a subscriber is no longer admitted: `expires` names the
 * last day it is (a calendar day in UTC), so it lapses at the next midnight
 * UTC. Undefined when it never expires or the date is malformed.
 */
function lapsesAt(expires) {
    if (typeof expires !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(expires)) return undefined;
    const day = new Date(`${expires}T00:00:00Z`);
    if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== expires) return undefined;
    return new Date(day.getTime() + 24 * 3600 * 1000);
}

/** True when a subscriber's `expires` date has passed at `now`. */
function isExpired(subscriber, now) {
    const at = lapsesAt(subscriber.expires);
    return at !== undefined && now.getTime() >= at.getTime();
}

/** The account of a subscriber: its `account`, or the account of its `principal`. */
function accountOf(subscriber) {
    if (typeof subscriber.account === "string") return subscriber.account;
    const m = typeof subscriber.principal === "string" ? /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(subscriber.principal) : null;
    return m ? m[1] : undefined;
}

/** The AWS partition of a region (`aws`, `aws-cn`, `aws-us-gov`). */
function partitionOf(region) {
    if (typeof region !== "string") return "aws";
    if (/^cn-/.test(region)) return "aws-cn";
    if (/^us-gov-/.test(region)) return "aws-us-gov";
    return "aws";
}

/** The principal an endpoint service admits for a subscriber: its `principal`, or its account's root. */
function principalOf(subscriber, partition) {
    if (typeof subscriber.principal === "string") return subscriber.principal;
    const account = accountOf(subscriber);
    return account ? `arn:${partition || "aws"}:iam::${account}:root` : undefined;
}

/** A service's subscribers as the catalog or the stack's configuration holds them; malformed entries are left out. */
function subscribersOf(service) {
    const list = record(service) && Array.isArray(service.subscribers) ? service.subscribers : [];
    return list.filter((s) => record(s) && typeof s.name === "string").map((s) => ({
        name: s.name,
        ...(typeof s.account === "string" ? { account: s.account } : {}),
        ...(typeof s.principal === "string" ? { principal: s.principal } : {}),
        ...(typeof s.contact === "string" ? { contact: s.contact } : {}),
        ...(typeof s.expires === "string" ? { expires: s.expires } : {}),
    }));
}

/** The principals a service's unexpired subscribers add to its endpoint service, sorted. */
function subscriberPrincipals(service, now, partition) {
    const out = new Set();
    for (const s of subscribersOf(service)) {
        const p = isExpired(s, now) ? undefined : principalOf(s, partition);
        if (p) out.add(p);
    }
    return [...out].sort();
}

/** `reject` unless the service says `hold`. */
function unknownSubscribersOf(service) {
    const v = record(service) ? service.unknownSubscribers : undefined;
    return v === "hold" ? "hold" : "reject";
}

/**
 * One service's decision table: its subscribers (with their accounts and
 * expiry dates, judged when a request arrives) and what happens to anyone
 * else. Plain data: the plan prints it, the handler ships it.
 */
function decisionTable(service) {
    return {
        service: service.name,
        unknownSubscribers: unknownSubscribersOf(service),
        subscribers: subscribersOf(service).map((s) => ({ ...s, ...(accountOf(s) ? { account: accountOf(s) } : {}) })),
    };
}

/**
 * What to do with one connection to a service's endpoint service, from its
 * current state (never from the order notifications came in):
 *
 * - the stack's own accounts (`stackAccounts`: consumers the stack accepts
 *   itself at `up`) are left alone;
 * - pendingAcceptance: accept an unexpired subscriber's account; reject an
 *   expired one; anyone else per `unknownSubscribers` (reject, or hold:
 *   leave it pending and alert);
 * - available: revoke (reject) an account that is no longer an unexpired
 *   subscriber, whether its entry expired or was removed;
 * - any other state (rejected, deleted, failed, ...): nothing to do.
 *
 * Returns {action: accept|reject|hold|none, subscriber?, reason}.
 */
function decide(table, connection, now, stackAccounts) {
    const owner = connection.owner;
    const state = connection.state;
    const listed = table.subscribers.filter((s) => s.account === owner);
    const active = listed.find((s) => !isExpired(s, now));
    const expired = listed.find((s) => isExpired(s, now));
    if ((stackAccounts || []).includes(owner)) {
        return { action: "none", reason: `${owner} is this stack's own account: its consumers are accepted by the stack at pulumi up` };
    }
    if (state === "pendingAcceptance") {
        if (active) return { action: "accept", subscriber: active.name, reason: `${active.name} is a subscriber of ${table.service}${active.expires ? ` until ${active.expires}` : ""}` };
        if (expired) return { action: "reject", subscriber: expired.name, reason: `${expired.name}'s subscription to ${table.service} expired after ${expired.expires}` };
        return table.unknownSubscribers === "hold"
            ? { action: "hold", reason: `${owner} is not a subscriber of ${table.service}: left pending for a person (unknownSubscribers: hold)` }
            : { action: "reject", reason: `${owner} is not a subscriber of ${table.service} (unknownSubscribers: reject)` };
    }
    if (state === "available") {
        if (active) return { action: "none", subscriber: active.name, reason: `${active.name} is a subscriber of ${table.service}` };
        if (expired) return { action: "reject", subscriber: expired.name, reason: `revoked: ${expired.name}'s subscription to ${table.service} expired after ${expired.expires}` };
        return { action: "reject", reason: `revoked: ${owner} is no longer a subscriber of ${table.service}` };
    }
    return { action: "none", ...(active ? { subscriber: active.name } : {}), reason: `the connection is ${state}` };
}

module.exports = {
    SUBSCRIPTION_HANDLER,
    SUBSCRIPTION_HANDLER_COMPONENT,
    HANDLER_ENDPOINTS,
    hasSubscribers,
    UNKNOWN_SUBSCRIBERS,
    PLAN_DATE_ENV,
    planDate,
    lapsesAt,
    isExpired,
    accountOf,
    partitionOf,
    principalOf,
    subscribersOf,
    subscriberPrincipals,
    unknownSubscribersOf,
    decisionTable,
    decide,
};
