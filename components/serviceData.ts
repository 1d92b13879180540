import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "./catalog";
import { bucketName, DataGrant, dataPlaneActions, DataType, storeName } from "../policies/lib/service-needs";
import { AccountContext, PolicyStatement, policyDocument, TAG } from "./shared";
import { pascal } from "./serviceAccess";

type DataSpec = ServiceSpec["data"][number];

export interface ServiceDataArgs {
    service: string;
    /** The environment: the stores' physical names derive from it (policies/lib/service-needs.ts: storeName). */
    environment: string;
    /** The service's `data` entries. */
    stores: DataSpec[];
    /** The service's key: every store is encrypted with it. */
    kmsKeyArn: pulumi.Input<string>;
    account: AccountContext;
    /** `platform.protectStatefulResources`: protect and retain the stores themselves. */
    protect: boolean;
    tags: Record<string, string>;
}

/** One store as the rest of the platform sees it: its type and the ARNs a policy names. */
export interface Store {
    name: string;
    type: DataType;
    /** The store's ARN (table, bucket, queue, topic). */
    arn: pulumi.Output<string>;
    /** The ARNs a grant names: the bucket and its objects for S3, the store's ARN otherwise. */
    resources: pulumi.Output<string>[];
    /** What its resource policy is set on (the bucket's name, the queue's URL, the table's or topic's ARN). */
    policyTarget: pulumi.Output<string>;
    /** What the code addresses the store by: the table's or bucket's name, the queue's URL, the topic's ARN. */
    address: pulumi.Output<string>;
}

/** A grant with the role ARNs it goes to (ServiceAccess resolves services to their application roles). */
export interface RoleGrant {
    grant: DataGrant;
    roleArn: pulumi.Input<string>;
}

/**
 * The stores a service owns (`data` in the catalog): DynamoDB tables
 * (on-demand, point-in-time recovery), S3 buckets (public access blocked,
 * versioned, TLS only), SQS queues (each with a dead-letter queue) and SNS
 * topics, every one encrypted with the service's key, named from the
 * environment, protected per `platform.protectStatefulResources`. Each
 * store's resource policy (`admit`) grants exactly the catalog's grants
 * (policies/lib/service-needs.ts: dataGrants) and denies its data-plane
 * actions to every other principal.
 */
export class ServiceData extends pulumi.ComponentResource {
    public readonly stores = new Map<string, Store>();
    /** Dead-letter queues of the service's queues, by store name. */
    public readonly deadLetterQueues = new Map<string, aws.sqs.Queue>();
    private readonly args: ServiceDataArgs;

    constructor(name: string, args: ServiceDataArgs, opts?: pulumi.ComponentResourceOptions) {
        super("privatelink:data:ServiceData", name, {}, opts);
        this.args = args;
        for (const d of args.stores) {
            this.stores.set(d.name, this.create(name, d));
        }
        this.registerOutputs({ stores: Object.fromEntries([...this.stores].map(([k, s]) => [k, s.arn])) });
    }

    private create(name: string, d: DataSpec): Store {
        const { args } = this;
        const physical = storeName(args.environment, args.service, d.name);
        const tags = { ...args.tags, Name: `${args.service}-${d.name}`, [TAG.data]: d.name };
        const stateful: pulumi.CustomResourceOptions = { parent: this, protect: args.protect, retainOnDelete: args.protect };
        const id = `${name}-${d.name}`;
        switch (d.type) {
            case "dynamodb": {
                const hash = d.hashKey ?? { name: "id", type: "S" as const };
                const table = new aws.dynamodb.Table(id, {
                    name: physical,
                    billingMode: "PAY_PER_REQUEST",
                    hashKey: hash.name,
                    ...(d.rangeKey ? { rangeKey: d.rangeKey.name } : {}),
                    attributes: [hash, ...(d.rangeKey ? [d.rangeKey] : [])].map(k => ({ name: k.name, type: k.type })),
                    pointInTimeRecovery: { enabled: true },
                    serverSideEncryption: { enabled: true, kmsKeyArn: args.kmsKeyArn },
                    deletionProtectionEnabled: args.protect,
                    tags,
                }, stateful);
                return { name: d.name, type: d.type, arn: table.arn, resources: [table.arn], policyTarget: table.arn, address: table.name };
            }
            case "s3": {
                const bucket = new aws.s3.Bucket(id, {
                    bucket: pulumi.output(args.account.accountId).apply(account => bucketName(args.environment, args.service, d.name, account)),
                    forceDestroy: false,
                    tags,
                }, stateful);
                const opts = { parent: this };
                new aws.s3.BucketPublicAccessBlock(id, {
                    bucket: bucket.id,
                    blockPublicAcls: true,
                    blockPublicPolicy: true,
                    ignorePublicAcls: true,
                    restrictPublicBuckets: true,
                }, opts);
                new aws.s3.BucketVersioning(id, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, opts);
                new aws.s3.BucketServerSideEncryptionConfiguration(id, {
                    bucket: bucket.id,
                    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }],
                }, opts);
                return {
                    name: d.name, type: d.type, arn: bucket.arn,
                    resources: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                    policyTarget: bucket.id, address: bucket.bucket,
                };
            }
            case "sqs": {
                // Messages received maxReceiveCount times move to the dead-letter queue,
                // kept 14 days, the most SQS allows (SQS Developer Guide, "Using dead-letter queues"; CreateQueue MessageRetentionPeriod).
                const dlq = new aws.sqs.Queue(`${id}-dlq`, {
                    name: `${physical}-dlq`,
                    kmsMasterKeyId: args.kmsKeyArn,
                    messageRetentionSeconds: 1209600,
                    tags: { ...tags, Name: `${args.service}-${d.name}-dlq`, [TAG.data]: `${d.name}-dlq` },
                }, stateful);
                this.deadLetterQueues.set(d.name, dlq);
                const queue = new aws.sqs.Queue(id, {
                    name: physical,
                    kmsMasterKeyId: args.kmsKeyArn,
                    visibilityTimeoutSeconds: d.visibilityTimeoutSeconds ?? 30,
                    redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: d.maxReceiveCount ?? 5 }),
                    tags,
                }, stateful);
                return { name: d.name, type: d.type, arn: queue.arn, resources: [queue.arn], policyTarget: queue.url, address: queue.url };
            }
            case "sns": {
                const topic = new aws.sns.Topic(id, { name: physical, kmsMasterKeyId: args.kmsKeyArn, tags }, stateful);
                return { name: d.name, type: d.type, arn: topic.arn, resources: [topic.arn], policyTarget: topic.arn, address: topic.arn };
            }
        }
    }

    /**
     * Each store's resource policy: the grants the catalog derives for it
     * (the owner's and its declared users'), a deny of its data-plane actions
     * to any other principal, and, for every type, a deny of requests not
     * made over TLS (`aws:SecureTransport`; S3 User Guide, "Enforce
     * encryption in transit"; SQS Developer Guide, "Amazon SQS security best
     * practices"). The owner's dead-letter queue admits the owner alone.
     */
    public admit(grants: RoleGrant[]): void {
        const opts = { parent: this };
        for (const store of this.stores.values()) {
            const mine = grants.filter(g => g.grant.owner === this.args.service && g.grant.data === store.name);
            const policy = storePolicy(store.type, store.resources, mine.map(g => ({ roleArn: g.roleArn, actions: g.grant.actions, sid: sidOf(g.grant) })));
            const id = `${this.args.service}-${store.name}`;
            switch (store.type) {
                case "dynamodb":
                    new aws.dynamodb.ResourcePolicy(id, { resourceArn: store.policyTarget, policy }, opts);
                    break;
                case "s3":
                    new aws.s3.BucketPolicy(id, { bucket: store.policyTarget, policy }, opts);
                    break;
                case "sqs": {
                    new aws.sqs.QueuePolicy(id, { queueUrl: store.policyTarget, policy }, opts);
                    const dlq = this.deadLetterQueues.get(store.name)!;
                    const owner = mine.filter(g => g.grant.principal === this.args.service);
                    new aws.sqs.QueuePolicy(`${id}-dlq`, {
                        queueUrl: dlq.url,
                        policy: storePolicy("sqs", [dlq.arn], owner.map(g => ({ roleArn: g.roleArn, actions: g.grant.actions, sid: "Owner" }))),
                    }, opts);
                    break;
                }
                case "sns":
                    new aws.sns.TopicPolicy(id, { arn: store.policyTarget, policy }, opts);
                    break;
            }
        }
    }
}

/** A statement id from a grant: `OwnerReadWrite`, `UsesWebRead`. */
function sidOf(g: DataGrant): string {
    return g.from === "data" ? "Owner" : `Uses${pascal(g.principal)}${g.accesses.map(pascal).join("")}`;
}

/** A store's resource policy: the allows, a deny of the data plane to everyone else, a deny without TLS. */
export function storePolicy(type: DataType, resources: pulumi.Input<string>[], allows: { roleArn: pulumi.Input<string>; actions: string[]; sid: string }[]): pulumi.Output<string> {
    const statements: PolicyStatement[] = allows.map(a => ({
        Sid: a.sid,
        Effect: "Allow",
        Principal: { AWS: a.roleArn },
        Action: a.actions,
        Resource: resources,
    }));
    statements.push({
        Sid: "OnlyDeclaredPrincipals",
        Effect: "Deny",
        Principal: "*",
        Action: dataPlaneActions(type),
        Resource: resources,
        Condition: { ArnNotEquals: { "aws:PrincipalArn": allows.map(a => a.roleArn) } },
    });
    statements.push({
        Sid: "TlsOnly",
        Effect: "Deny",
        Principal: "*",
        Action: dataPlaneActions(type),
        Resource: resources,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    return policyDocument(statements);
}
