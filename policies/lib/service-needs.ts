/**
 * What a service needs from AWS, as the catalog declares it (`data`, `uses`,
 * `secrets`, `aws`), and what follows from it: the IAM actions each access
 * grants, the KMS use it implies, and the AWS APIs (VPC endpoints) the service
 * then calls. One derivation for the program (components/serviceData.ts,
 * components/serviceAccess.ts, the service VPC's endpoints) and the policy
 * pack (which reads the catalog from the stack configuration): it lives in
 * the pack because the pack is published on its own. Plain functions, no Pulumi.
 *
 * Sources for the actions:
 * - DynamoDB: "Actions, resources, and condition keys for Amazon DynamoDB"
 *   (Service Authorization Reference); table-level actions on the table ARN.
 * - S3: "Actions, resources, and condition keys for Amazon S3": object
 *   actions on `<bucket arn>/*`, ListBucket on the bucket ARN.
 * - SQS: "Amazon SQS API permissions: Actions and resource reference".
 * - SNS: "Amazon SNS API permissions: Actions and resources reference".
 * - KMS with server-side encryption: S3 ("Using server-side encryption with
 *   AWS KMS keys": GetObject needs kms:Decrypt, PutObject
 *   kms:GenerateDataKey), SQS ("Key management": producers need
 *   kms:GenerateDataKey and kms:Decrypt, consumers kms:Decrypt), SNS
 *   ("Configuring AWS KMS permissions": publishers kms:GenerateDataKey* and
 *   kms:Decrypt), DynamoDB ("How Amazon DynamoDB uses AWS KMS": the caller
 *   must be allowed to use a customer managed key through DynamoDB), each
 *   limited with `kms:ViaService` (KMS Developer Guide, "kms:ViaService").
 * - Secrets: Secrets Manager GetSecretValue, SSM GetParameters (what ECS
 *   calls for a container's `secrets`: ECS Developer Guide, "Required IAM
 *   permissions for Amazon ECS secrets"), kms:Decrypt through the service.
 */

import { actionMatches } from "./glob";

/** The stores a service may own. */
export const DATA_TYPES = ["dynamodb", "s3", "sqs", "sns"] as const;
export type DataType = (typeof DATA_TYPES)[number];

/** How another service may use a store. */
export const ACCESS_KINDS = ["read", "write", "consume"] as const;
export type Access = (typeof ACCESS_KINDS)[number];

/** The accesses each store type has, with the IAM actions of each (on the store's ARNs). */
export const DATA_ACCESS: Readonly<Record<DataType, Partial<Record<Access, { actions: readonly string[]; kms: readonly string[] }>>>> = {
    dynamodb: {
        read: {
            actions: ["dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"],
            kms: ["kms:Decrypt", "kms:DescribeKey"],
        },
        write: {
            actions: ["dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:DescribeTable", "dynamodb:PutItem", "dynamodb:UpdateItem"],
            kms: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
        },
    },
    s3: {
        read: { actions: ["s3:GetObject", "s3:ListBucket"], kms: ["kms:Decrypt"] },
        write: { actions: ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject"], kms: ["kms:Decrypt", "kms:GenerateDataKey"] },
    },
    sqs: {
        write: { actions: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"], kms: ["kms:Decrypt", "kms:GenerateDataKey"] },
        consume: {
            actions: ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
            kms: ["kms:Decrypt"],
        },
    },
    sns: {
        write: { actions: ["sns:GetTopicAttributes", "sns:Publish"], kms: ["kms:Decrypt", "kms:GenerateDataKey*"] },
    },
};

/** The accesses a store type accepts. */
export function accessesOf(type: DataType): Access[] {
    return ACCESS_KINDS.filter((a) => DATA_ACCESS[type][a] !== undefined);
}

/** The owner of a store has every access its type has. */
export function ownerAccesses(type: DataType): Access[] {
    return accessesOf(type);
}

/** The AWS API (`com.amazonaws.<region>.<api>`) a store type is called through, and its endpoint type in a VPC without internet. */
export const DATA_API: Readonly<Record<DataType, { api: string; endpoint: "Gateway" | "Interface" }>> = {
    // Gateway endpoints exist only for S3 and DynamoDB (Amazon VPC, "Gateway endpoints").
    dynamodb: { api: "dynamodb", endpoint: "Gateway" },
    s3: { api: "s3", endpoint: "Gateway" },
    sqs: { api: "sqs", endpoint: "Interface" },
    sns: { api: "sns", endpoint: "Interface" },
};

export const SECRET_SOURCES = ["secretsManager", "ssm"] as const;
export type SecretSource = (typeof SECRET_SOURCES)[number];

/** The API each secret source is read through. */
export const SECRET_API: Readonly<Record<SecretSource, { api: string; actions: readonly string[] }>> = {
    secretsManager: { api: "secretsmanager", actions: ["secretsmanager:GetSecretValue"] },
    ssm: { api: "ssm", actions: ["ssm:GetParameters"] },
};

/** AWS APIs that have a gateway endpoint; every other API is an interface endpoint. */
export const GATEWAY_APIS: readonly string[] = ["dynamodb", "s3"];

/** One store a service owns (`data[]`). */
export interface DataNeed {
    name: string;
    type: DataType;
}

/** One access to another service's store (`uses[]`). */
export interface UseNeed {
    service: string;
    data: string;
    access: Access;
}

/** One secret (`secrets.<ENV>`): its source and reference (an ARN, or an SSM parameter name). */
export interface SecretNeed {
    env: string;
    source: SecretSource;
    ref: string;
}

/** One explicitly declared AWS API (`aws[]`). */
export interface AwsApiNeed {
    api: string;
    reason: string;
}

/** What one service declares it needs. */
export interface ServiceNeeds {
    service: string;
    data: DataNeed[];
    uses: UseNeed[];
    secrets: SecretNeed[];
    aws: AwsApiNeed[];
}

/** One grant that follows from the catalog: `principal` (a service) may do `actions` on `owner`'s store `data`. */
export interface DataGrant {
    principal: string;
    owner: string;
    data: string;
    type: DataType;
    accesses: Access[];
    actions: string[];
    kms: string[];
    /** Where the grant comes from: `data` (the owner's own store) or `uses` (another service's). */
    from: "data" | "uses";
}

/**
 * Every grant on data stores that the catalog declares: each owner on its own
 * stores, and each `uses` entry on the store it names. The one derivation both
 * the user's IAM policy and the store's resource policy come from.
 */
export function dataGrants(needs: readonly ServiceNeeds[]): DataGrant[] {
    const stores = new Map<string, DataNeed>();
    for (const n of needs) for (const d of n.data) stores.set(`${n.service}/${d.name}`, d);
    const out: DataGrant[] = [];
    for (const n of needs) {
        for (const d of n.data) out.push(grant(n.service, n.service, d, ownerAccesses(d.type), "data"));
    }
    for (const n of needs) {
        const byStore = new Map<string, Access[]>();
        for (const u of n.uses) {
            const key = `${u.service}/${u.data}`;
            byStore.set(key, [...(byStore.get(key) ?? []), u.access]);
        }
        for (const [key, accesses] of byStore) {
            const store = stores.get(key);
            if (!store) continue; // the catalog refuses a use of an unknown store
            out.push(grant(n.service, key.split("/")[0], store, accesses, "uses"));
        }
    }
    return out;
}

function grant(principal: string, owner: string, d: DataNeed, accesses: Access[], from: DataGrant["from"]): DataGrant {
    const valid = accesses.filter((a) => DATA_ACCESS[d.type][a] !== undefined);
    const actions = [...new Set(valid.flatMap((a) => DATA_ACCESS[d.type][a]!.actions))].sort();
    const kms = [...new Set(valid.flatMap((a) => DATA_ACCESS[d.type][a]!.kms))].sort();
    return { principal, owner, data: d.name, type: d.type, accesses: valid, actions, kms, from };
}

/**
 * Reads of a store's configuration that a grant includes (SDKs call them
 * before the data) but that are not its data: the provider reads them too on
 * every refresh and update (terraform-provider-aws reads a table with
 * DescribeTable, a queue with GetQueueAttributes, a topic with
 * GetTopicAttributes), so a resource policy must never deny them to the
 * deploying role.
 */
export const METADATA_ACTIONS: readonly string[] = ["dynamodb:DescribeTable", "sns:GetTopicAttributes", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"];

/**
 * Every action on a store type's data (what its resource policy denies to
 * anyone not granted, and what the pack holds to the catalog): its
 * accesses' actions without the configuration reads.
 */
export function dataPlaneActions(type: DataType): string[] {
    return [...new Set(accessesOf(type).flatMap((a) => DATA_ACCESS[type][a]!.actions))].filter((a) => !METADATA_ACTIONS.includes(a)).sort();
}

/** What each store type is called where people read it (the plan diagram, the cost lines). */
export const STORE_LABELS: Readonly<Record<DataType, string>> = { dynamodb: "table", s3: "bucket", sqs: "queue", sns: "topic" };

/** The store types a service may own (catalog `data`), by resource type. */
export const STORE_RESOURCE_TYPES: Readonly<Record<string, DataType>> = {
    "aws:dynamodb/table:Table": "dynamodb",
    "aws:s3/bucket:Bucket": "s3",
    "aws:sqs/queue:Queue": "sqs",
    "aws:sns/topic:Topic": "sns",
};

/** The data-plane actions of `type` a statement allows: those its Action globs match, or everything but its NotAction. */
export function dataActionsOf(s: { actions?: readonly string[]; notActions?: readonly string[] }, type: DataType): string[] {
    const plane = dataPlaneActions(type);
    if (s.actions) return plane.filter((a) => s.actions!.some((p) => actionMatches(p, a)));
    if (s.notActions) return plane.filter((a) => !s.notActions!.some((p) => actionMatches(p, a)));
    return [];
}

/**
 * The AWS APIs a service calls because of what it declares: its stores',
 * the stores it uses, its secrets' and its explicit `aws` entries, each once,
 * split by endpoint type.
 */
export function declaredApis(service: string, needs: readonly ServiceNeeds[]): { gateway: string[]; interface: string[] } {
    const own = needs.find((n) => n.service === service);
    if (!own) return { gateway: [], interface: [] };
    const storeType = new Map<string, DataType>();
    for (const n of needs) for (const d of n.data) storeType.set(`${n.service}/${d.name}`, d.type);
    const apis = new Set<string>([
        ...own.data.map((d) => DATA_API[d.type].api),
        ...own.uses.flatMap((u) => { const t = storeType.get(`${u.service}/${u.data}`); return t ? [DATA_API[t].api] : []; }),
        ...own.secrets.map((s) => SECRET_API[s.source].api),
        ...own.aws.map((a) => a.api),
    ]);
    const all = [...apis].sort();
    return { gateway: all.filter((a) => GATEWAY_APIS.includes(a)), interface: all.filter((a) => !GATEWAY_APIS.includes(a)) };
}

/** Physical names of a service's store, from the environment (unique per account and Region; S3 adds the account: bucket names are global). */
export function storeName(environment: string, service: string, data: string): string {
    return `${environment}-${service}-${data}`;
}

/** S3 bucket names are global: the environment's store name and the account id (S3 User Guide, "Bucket naming rules": 3-63 characters). */
export function bucketName(environment: string, service: string, data: string, account: string): string {
    return `${storeName(environment, service, data)}-${account}`;
}

/**
 * The needs of every service in a raw catalog (the stack configuration's
 * `privatelink-platform:services`), tolerant of malformed entries (the
 * program's catalog validation reports those; the pack reads what it can).
 */
export function readNeeds(services: unknown): ServiceNeeds[] {
    if (!Array.isArray(services)) return [];
    const out: ServiceNeeds[] = [];
    for (const s of services) {
        if (!isRecord(s) || typeof s.name !== "string") continue;
        out.push({
            service: s.name,
            data: list(s.data).flatMap((d) =>
                typeof d.name === "string" && (DATA_TYPES as readonly unknown[]).includes(d.type) ? [{ name: d.name, type: d.type as DataType }] : []),
            uses: list(s.uses).flatMap((u) =>
                typeof u.service === "string" && typeof u.data === "string" && (ACCESS_KINDS as readonly unknown[]).includes(u.access)
                    ? [{ service: u.service, data: u.data, access: u.access as Access }] : []),
            secrets: Object.entries(isRecord(s.secrets) ? s.secrets : {}).flatMap(([env, v]) => {
                const ref = secretRef(v);
                return ref ? [{ env, ...ref }] : [];
            }),
            aws: list(s.aws).flatMap((a) => (typeof a.api === "string" ? [{ api: a.api, reason: typeof a.reason === "string" ? a.reason : "" }] : [])),
        });
    }
    return out;
}

/** What the catalog lets invoke a service besides its consumers' mesh traffic: its triggers, and whether the front door exposes it. */
export interface ServiceInvokers {
    /** The queues its triggers name (`triggers[].queue`). */
    queues: { service: string; data: string }[];
    /** The EventBridge schedule expressions its triggers list (`triggers[].schedule`). */
    schedules: string[];
    /** Whether it declares `expose` (the front door's API may then invoke it). */
    exposed: boolean;
}

/** Per service of a raw catalog, what may invoke it (tolerant of malformed entries, like readNeeds). */
export function readInvokers(services: unknown): Map<string, ServiceInvokers> {
    const out = new Map<string, ServiceInvokers>();
    if (!Array.isArray(services)) return out;
    for (const s of services) {
        if (!isRecord(s) || typeof s.name !== "string") continue;
        const triggers = list(s.triggers);
        out.set(s.name, {
            queues: triggers.flatMap((t) => (isRecord(t.queue) && typeof t.queue.service === "string" && typeof t.queue.data === "string" ? [{ service: t.queue.service, data: t.queue.data }] : [])),
            schedules: triggers.flatMap((t) => (typeof t.schedule === "string" ? [t.schedule] : [])),
            exposed: s.expose !== undefined && s.expose !== null,
        });
    }
    return out;
}

/**
 * A secret's source: `{ secretsManager: <arn> }`, `{ ssm: <parameter name or arn> }`,
 * or the ARN alone (`arn:...:secretsmanager:...` or `arn:...:ssm:...:parameter/...`).
 * Undefined for anything else (a needs-input marker: planned as absent).
 */
export function secretRef(v: unknown): { source: SecretSource; ref: string } | undefined {
    if (typeof v === "string") {
        if (/^arn:aws[a-z-]*:secretsmanager:/.test(v)) return { source: "secretsManager", ref: v };
        if (/^arn:aws[a-z-]*:ssm:/.test(v)) return { source: "ssm", ref: v };
        return undefined;
    }
    if (!isRecord(v)) return undefined;
    if (typeof v.secretsManager === "string") return { source: "secretsManager", ref: v.secretsManager };
    if (typeof v.ssm === "string") return { source: "ssm", ref: v.ssm };
    return undefined;
}

/** The ARN of an SSM parameter given by name or ARN (SSM API reference, "parameter ARN": `parameter/<name without its leading slash>`). */
export function ssmParameterArn(ref: string, partition: string, region: string, account: string): string {
    if (ref.startsWith("arn:")) return ref;
    return `arn:${partition}:ssm:${region}:${account}:parameter/${ref.replace(/^\//, "")}`;
}

function list(v: unknown): Record<string, unknown>[] {
    return Array.isArray(v) ? v.filter(isRecord) : [];
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The AWS-service endpoints a service's VPC holds: those its runtime needs
 * (policies/facts/runtimes) and those its declared needs add, each once,
 * in the runtime's order first. `services` is the raw catalog.
 */
export function serviceEndpoints(runtime: { interface: readonly string[]; gateway: readonly string[] }, service: string, services: unknown): { interface: string[]; gateway: string[] } {
    const declared = declaredApis(service, readNeeds(services));
    const merge = (a: readonly string[], b: readonly string[]) => [...a, ...b.filter((x) => !a.includes(x))];
    return { interface: merge(runtime.interface, declared.interface), gateway: merge(runtime.gateway, declared.gateway) };
}

/** Where a stack's stores live: what their ARNs are built from. */
export interface ArnContext {
    partition: string;
    region: string;
    account: string;
    environment: string;
}

/** A store's ARN from its name (Service Authorization Reference, each service's resource types): known before the store exists. */
export function storeArn(type: DataType, owner: string, data: string, c: ArnContext): string {
    const name = storeName(c.environment, owner, data);
    switch (type) {
        case "dynamodb": return `arn:${c.partition}:dynamodb:${c.region}:${c.account}:table/${name}`;
        case "s3": return `arn:${c.partition}:s3:::${bucketName(c.environment, owner, data, c.account)}`;
        case "sqs": return `arn:${c.partition}:sqs:${c.region}:${c.account}:${name}`;
        case "sns": return `arn:${c.partition}:sns:${c.region}:${c.account}:${name}`;
    }
}

/**
 * Per AWS API a service calls because of its declarations, the ARNs it may
 * reach through that API's endpoint: the stores it owns or uses (a queue's
 * dead-letter queue too, for its owner; a bucket and its objects) and its
 * secrets. (The S3 endpoint also carries image layers from ECR's own bucket:
 * components/isolatedVpc.ts admits those in a statement of their own.)
 */
export function declaredResources(service: string, needs: readonly ServiceNeeds[], c: ArnContext): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    const add = (api: string, arn: string) => {
        const list = (out[api] ??= []);
        if (!list.includes(arn)) list.push(arn);
    };
    for (const g of dataGrants(needs).filter((x) => x.principal === service)) {
        const arn = storeArn(g.type, g.owner, g.data, c);
        add(DATA_API[g.type].api, arn);
        // Object actions act on `<bucket arn>/*` (Service Authorization Reference, Amazon S3 resource types).
        if (g.type === "s3") add("s3", `${arn}/*`);
        if (g.type === "sqs" && g.from === "data") add("sqs", `${arn}-dlq`);
    }
    for (const s of needs.find((n) => n.service === service)?.secrets ?? []) {
        add(SECRET_API[s.source].api, s.source === "ssm" ? ssmParameterArn(s.ref, c.partition, c.region, c.account) : s.ref);
    }
    return out;
}
