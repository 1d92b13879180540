/**
 * The catalog fields that say what a service needs from AWS: `data` (stores it
 * owns), `uses` (another service's store it reads, writes or consumes),
 * `secrets` (values injected at run time, never in the plan) and `aws` (AWS
 * APIs its code calls besides those). The grants, resource policies and VPC
 * endpoints that follow are derived in policies/lib/service-needs.ts, shared
 * with the policy pack. Plain functions, no Pulumi.
 */
import { z } from "zod";
import type { CatalogProblem } from "./errors";
import { didYouMean } from "./suggest";
import {
    ACCESS_KINDS, accessesOf, bucketName, DATA_TYPES, DataType, GATEWAY_APIS, SECRET_API, secretRef,
} from "../../policies/lib/service-needs";
import { ESCALATION_METHODS } from "../../policies/lib/escalation";
import { actionMatches, globsIntersect } from "../../policies/lib/glob";

const STORE_NAME = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
/** An AWS API as its endpoint names it after `com.amazonaws.<region>.` (e.g. `sts`, `ecr.api`). */
const API_NAME = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/;
/** A Secrets Manager secret's full ARN (ECS needs the full ARN of a secret: ECS Developer Guide, "Pass Secrets Manager secrets through Amazon ECS environment variables"). */
const SECRET_ARN = /^arn:aws(-[a-z]+)*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;
/** An SSM parameter name (`/a/b` or `a`) or its ARN (SSM API reference, PutParameter `Name`). */
const SSM_PARAMETER = /^(arn:aws(-[a-z]+)*:ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9_.\/-]+|\/?[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*)$/;

/** Longest store name: the store's physical names add the environment and the service (storeName). */
export const MAX_STORE_NAME_LENGTH = 20;

const keySchema = z.strictObject({
    name: z.string().min(1).max(255),
    type: z.enum(["S", "N", "B"], { error: "use S (string), N (number) or B (binary), the DynamoDB key attribute types" }),
});

/** One store a service owns. Type-specific fields are refused for the other types (checkNeeds). */
const dataSchema = z.strictObject({
    name: z.string().max(MAX_STORE_NAME_LENGTH, { error: `at most ${MAX_STORE_NAME_LENGTH} characters (the environment and the service are added to its AWS names)` })
        .regex(STORE_NAME, { error: iss => `${JSON.stringify(iss.input)} is not a store name: lowercase letters, digits and hyphens, starting with a letter` }),
    type: z.enum(DATA_TYPES, { error: iss => `unknown store type ${JSON.stringify(iss.input)}; use one of ${DATA_TYPES.join(", ")}` }),
    /** dynamodb: the partition key (default { name: id, type: S }). */
    hashKey: keySchema.optional(),
    /** dynamodb: the sort key, if any. */
    rangeKey: keySchema.optional(),
    /** sqs: receives before a message moves to the dead-letter queue (default 5). */
    maxReceiveCount: z.number().int().min(1).max(1000).optional(),
    /** sqs: seconds a received message stays invisible (default 30). */
    visibilityTimeoutSeconds: z.number().int().min(0).max(43200).optional(),
});

const useSchema = z.strictObject({
    service: z.string().min(1),
    data: z.string().min(1),
    access: z.enum(ACCESS_KINDS, { error: iss => `unknown access ${JSON.stringify(iss.input)}; use one of ${ACCESS_KINDS.join(", ")}` }),
});

const secretSchema = z.union([
    z.string().regex(SECRET_ARN).or(z.string().regex(/^arn:aws(-[a-z]+)*:ssm:[a-z0-9-]+:\d{12}:parameter\/.+$/)),
    z.strictObject({
        secretsManager: z.string().regex(SECRET_ARN, {
            error: iss => `${JSON.stringify(iss.input)} is not a secret's full ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>); ` +
                "ECS injects a Secrets Manager secret only by its full ARN: `aws secretsmanager describe-secret --secret-id <name> --query ARN`",
        }),
    }),
    z.strictObject({ ssm: z.string().regex(SSM_PARAMETER, { error: iss => `${JSON.stringify(iss.input)} is not an SSM parameter name such as /payments/db-password, nor its ARN` }) }),
], {
    error: () =>
        "must be { secretsManager: <the secret's full ARN, arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>> }, " +
        "{ ssm: <parameter name such as /payments/db-password> }, either ARN alone, or { needsInput: \"...\" } until it is known",
});

const awsSchema = z.strictObject({
    api: z.string().regex(API_NAME, { error: iss => `${JSON.stringify(iss.input)} is not an AWS API as its endpoint names it (the part after com.amazonaws.<region>., e.g. sts, kinesis-streams)` }),
    reason: z.string().trim().min(10, { error: "say why the service's code calls this API (at least 10 characters)" }),
});

/** An IAM action `service:Action`; a wildcard only as a read prefix (checkPermission). */
const ACTION = /^[a-z0-9-]+:[A-Za-z0-9*]+$/;
/** Wildcards allowed in a permission's action: one service's read actions (Service Authorization Reference: access level Read/List). */
export const READ_PREFIXES = ["Get", "List", "Describe", "BatchGet"] as const;
/** Services whose access the catalog declares through data, uses and secrets: a permission may not name them. */
export const DECLARED_ELSEWHERE: Readonly<Record<string, string>> = {
    dynamodb: "data or uses", s3: "data or uses", sqs: "data or uses", sns: "data or uses",
    secretsmanager: "secrets", kms: "data, uses or secrets (the platform grants the key use they need)",
};

const permissionSchema = z.strictObject({
    actions: z.array(z.string().regex(ACTION, { error: iss => `${JSON.stringify(iss.input)} is not an IAM action such as ses:SendEmail` })).min(1, { error: "list at least one action" }),
    /** ARNs; `{partition}`, `{region}` and `{account}` stand for the stack's. */
    resources: z.array(z.string().min(1)).min(1, { error: "list the ARNs the actions act on" }),
    reason: z.string().trim().min(10, { error: "say why the service needs this permission (at least 10 characters)" }),
});

/** EventBridge schedule expressions (EventBridge User Guide, "Creating an Amazon EventBridge rule that runs on a schedule"). */
const SCHEDULE = /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\([^()]+\))$/;

const triggerSchema = z.union([
    z.strictObject({
        /** An SQS queue the service consumes: an event source mapping polls it and invokes the function with batches. */
        queue: z.strictObject({ service: z.string().min(1), data: z.string().min(1) }),
        batchSize: z.number().int().min(1).max(10000).optional(),
    }),
    z.strictObject({
        schedule: z.string().regex(SCHEDULE, { error: iss => `${JSON.stringify(iss.input)} is not an EventBridge schedule: use rate(5 minutes) or cron(0 3 * * ? *)` }),
    }),
], { error: () => "must be { queue: { service, data }, batchSize? } or { schedule: \"rate(5 minutes)\" | \"cron(...)\" }" });

/** The service fields of this file, spread into serviceSchema (components/catalog/schema.ts). */
export const NEEDS_FIELDS = {
    /** Stores the service owns (docs/catalog.md#data). */
    data: z.array(dataSchema).default([]),
    /** Other services' stores the service reads, writes or consumes (docs/catalog.md#uses). */
    uses: z.array(useSchema).default([]),
    /** Environment variable name -> secret, injected at run time (docs/catalog.md#secrets). */
    secrets: z.record(z.string().regex(ENV_NAME, { error: iss => `${JSON.stringify(iss.input)} is not an environment variable name (A-Z, 0-9, _)` }), secretSchema).default({}),
    /** AWS APIs the service's code calls besides those its data, uses and secrets imply (docs/catalog.md#aws). */
    aws: z.array(awsSchema).default([]),
    /** Extra IAM permissions of the service's role, each with a reason (docs/catalog.md#permissions). */
    permissions: z.array(permissionSchema).default([]),
    /** What invokes the service besides its consumers: an SQS queue it consumes, a schedule (docs/catalog.md#triggers). */
    triggers: z.array(triggerSchema).default([]),
};

/**
 * What a permission may not be: a wildcard beyond one service's read actions,
 * an action of a documented escalation method (policies/lib/escalation.ts),
 * an action the catalog declares through data, uses or secrets, `*` or a
 * wildcard resource, or a resource in another account (the account field must
 * be `{account}`, the stack's).
 */
export function checkPermission(at: string, p: Record<string, unknown>, problems: CatalogProblem[]): void {
    arr(p.actions).forEach((a, k) => {
        if (typeof a !== "string" || !ACTION.test(a)) return;
        const path = `${at}.actions[${k}]`;
        const [service, action] = a.split(":");
        if (action.includes("*") && !READ_PREFIXES.some(r => action === `${r}*` || (action.startsWith(r) && action.endsWith("*") && !action.slice(0, -1).includes("*")))) {
            problems.push({ path, message: `${a}: a wildcard action is allowed only for one service's read actions (${READ_PREFIXES.map(r => `${service}:${r}*`).join(", ")}); list the actions the code calls` });
            return;
        }
        const escalates = ESCALATION_METHODS.find(m => m.broad.some(b => actionMatches(a, b) || globsIntersect(a, b)));
        if (escalates) {
            problems.push({ path, message: `${a} is part of the privilege-escalation method ${escalates.id} (${escalates.how}); a service's role may not hold it` });
            return;
        }
        if (service in DECLARED_ELSEWHERE) {
            problems.push({ path, message: `${a}: ${service} access is declared through ${DECLARED_ELSEWHERE[service]}, which grant it on both sides; use those instead` });
        }
        if (service === "ssm" && /^GetParameter/.test(action)) {
            problems.push({ path, message: `${a}: a parameter is read through secrets (docs/catalog.md#secrets); use that instead` });
        }
    });
    arr(p.resources).forEach((r, k) => {
        if (typeof r !== "string") return;
        const path = `${at}.resources[${k}]`;
        if (r === "*" || r.endsWith(":*")) {
            problems.push({ path, message: `${JSON.stringify(r)} grants every resource; name the ARNs the actions act on` });
            return;
        }
        const parts = r.split(":");
        if (parts[0] !== "arn" || parts.length < 6) {
            problems.push({ path, message: `${JSON.stringify(r)} is not an ARN such as arn:{partition}:ses:{region}:{account}:identity/example.com` });
            return;
        }
        if (parts[4] !== "{account}" && parts[4] !== "") {
            problems.push({ path, message: `${JSON.stringify(r)} names account ${JSON.stringify(parts[4])}; a permission acts on the stack's own account only: write {account}` });
        }
        if (parts.slice(5).join(":").includes("*")) {
            problems.push({ path, message: `${JSON.stringify(r)} has a wildcard; name the resource` });
        }
    });
}

/** What checkNeeds needs to know of the stack. */
export interface NeedsContext {
    /** The environment (physical names derive from it). */
    environment?: string;
    /** The environment's shards: service -> shard name (uses across shards are refused for now). */
    shardOf?: ReadonlyMap<string, string>;
    /** Whether a runtime can be invoked by triggers (its declaration's `triggers`). */
    acceptsTriggers?(runtime: unknown): boolean;
}

/**
 * Cross-entry checks of `data`, `uses`, `secrets` and `aws` on the raw
 * entries, each problem with its path and the fix: duplicate stores, fields
 * of another store type, uses of unknown services or stores, an access the
 * store's type does not have, uses across shards, a secret also in plain
 * `environment`, an `aws` entry the declarations already imply.
 */
export function checkNeeds(entries: Record<string, unknown>[], ctx: NeedsContext, problems: CatalogProblem[]): void {
    const stores = new Map<string, Map<string, DataType>>();
    entries.forEach((e, i) => {
        const service = e.name;
        if (typeof service !== "string") return;
        const own = new Map<string, DataType>();
        stores.set(service, own);
        arr(e.data).forEach((d, j) => {
            const at = `services[${i}].data[${j}]`;
            if (!isRecord(d) || typeof d.name !== "string") return;
            if (own.has(d.name)) {
                problems.push({ path: `${at}.name`, message: `${JSON.stringify(d.name)} is declared twice in ${service}'s data; name each store once` });
                return;
            }
            const type = (DATA_TYPES as readonly unknown[]).includes(d.type) ? d.type as DataType : undefined;
            if (type) own.set(d.name, type);
            for (const [field, only] of [["hashKey", "dynamodb"], ["rangeKey", "dynamodb"], ["maxReceiveCount", "sqs"], ["visibilityTimeoutSeconds", "sqs"]] as const) {
                if (d[field] !== undefined && type !== undefined && type !== only) {
                    problems.push({ path: `${at}.${field}`, message: `only for type ${only} (this store is ${type}); remove it` });
                }
            }
            if (type === "s3" && ctx.environment !== undefined) {
                const longest = bucketName(ctx.environment, service, d.name, "000000000000");
                if (longest.length > 63) {
                    problems.push({
                        path: `${at}.name`,
                        message: `the bucket name ${longest.replace(/0{12}$/, "<account>")} would be ${longest.length} characters; S3 allows 63 (environment, service, store and account): use a shorter store name`,
                    });
                }
            }
        });
    });
    const services = [...stores.keys()];

    entries.forEach((e, i) => {
        const name = typeof e.name === "string" ? e.name : `services[${i}]`;
        const seen = new Set<string>();
        arr(e.uses).forEach((u, j) => {
            const at = `services[${i}].uses[${j}]`;
            if (!isRecord(u) || typeof u.service !== "string" || typeof u.data !== "string") return;
            const owner = stores.get(u.service);
            if (u.service === name) {
                problems.push({ path: `${at}.service`, message: `${name} owns ${JSON.stringify(u.data)} already (its data); remove this entry` });
                return;
            }
            if (!owner) {
                problems.push({ path: `${at}.service`, message: `unknown service ${JSON.stringify(u.service)}${didYouMean(u.service, services)}` });
                return;
            }
            const type = owner.get(u.data);
            if (!type) {
                const known = [...owner.keys()];
                problems.push({
                    path: `${at}.data`,
                    message: `${u.service} declares no store ${JSON.stringify(u.data)}${didYouMean(u.data, known)}` +
                        (known.length > 0 ? ` (its data: ${known.join(", ")})` : `; ${u.service} owns no data: declare it in ${u.service}'s data first`),
                });
                return;
            }
            const accesses = accessesOf(type);
            if (typeof u.access === "string" && (ACCESS_KINDS as readonly string[]).includes(u.access) && !accesses.includes(u.access as never)) {
                problems.push({ path: `${at}.access`, message: `a ${type} store takes ${accesses.join(" or ")}, not ${u.access}` });
            }
            const key = `${u.service}/${u.data}/${String(u.access)}`;
            if (seen.has(key)) {
                problems.push({ path: at, message: `${u.access} of ${u.service}'s ${u.data} is listed twice; list it once` });
            }
            seen.add(key);
            const mine = ctx.shardOf?.get(name);
            const theirs = ctx.shardOf?.get(u.service);
            if (mine !== undefined && theirs !== undefined && mine !== theirs) {
                problems.push({
                    path: at,
                    message: `${u.service} is in shard ${theirs} and ${name} in shard ${mine}: access to another shard's data is not supported yet ` +
                        `(its resource policy and ${name}'s grant would each wait for the other's stack); put both services in one shard, or remove the entry`,
                });
            }
        });

        const environment = isRecord(e.environment) ? e.environment : {};
        const secrets = isRecord(e.secrets) ? e.secrets : {};
        for (const key of Object.keys(secrets)) {
            if (key in environment) {
                problems.push({ path: `services[${i}].environment.${key}`, message: `${key} is also a secret (secrets.${key}); a secret's value never goes in plain environment: remove it here` });
            }
        }

        const triggers = arr(e.triggers);
        if (triggers.length > 0 && ctx.acceptsTriggers && !ctx.acceptsTriggers(e.runtime)) {
            problems.push({ path: `services[${i}].triggers`, message: `only a lambda service can be triggered (this service is ${String(e.runtime)}); remove it` });
        }
        triggers.forEach((t, j) => {
            if (!isRecord(t) || !isRecord(t.queue) || typeof t.queue.service !== "string" || typeof t.queue.data !== "string") return;
            const { service, data } = t.queue as { service: string; data: string };
            const owned = service === name && stores.get(name)?.get(data) === "sqs";
            const consumed = arr(e.uses).some(u => isRecord(u) && u.service === service && u.data === data && u.access === "consume");
            if (!owned && !consumed) {
                problems.push({
                    path: `services[${i}].triggers[${j}].queue`,
                    message: `${name} neither owns nor consumes ${service}'s queue ${data}: add { service: ${service}, data: ${data}, access: consume } to its uses (the grant the trigger polls with)`,
                });
            }
        });

        arr(e.permissions).forEach((p, j) => {
            if (isRecord(p)) checkPermission(`services[${i}].permissions[${j}]`, p, problems);
        });

        const implied = new Set<string>([
            ...arr(e.data).flatMap(d => isRecord(d) && typeof d.type === "string" ? [apiOfType(d.type)] : []),
            ...Object.values(secrets).flatMap(v => { const r = secretRef(v); return r ? [SECRET_API[r.source].api] : []; }),
        ]);
        const apis = new Set<string>();
        arr(e.aws).forEach((a, j) => {
            if (!isRecord(a) || typeof a.api !== "string") return;
            const at = `services[${i}].aws[${j}].api`;
            if (apis.has(a.api)) problems.push({ path: at, message: `${a.api} is listed twice; list each API once` });
            apis.add(a.api);
            if (implied.has(a.api)) {
                problems.push({ path: at, message: `${a.api} follows already from ${name}'s data or secrets; remove this entry` });
            }
            if (GATEWAY_APIS.includes(a.api)) {
                problems.push({
                    path: at,
                    message: `${a.api} is reached through a gateway endpoint the platform adds for a store the service owns or uses; declare the store in data or uses instead, so its resource policy admits the service`,
                });
            }
        });
    });
}

function apiOfType(type: string): string {
    return type === "dynamodb" || type === "s3" || type === "sqs" || type === "sns" ? type : "";
}

function arr(v: unknown): unknown[] {
    return Array.isArray(v) ? v : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
