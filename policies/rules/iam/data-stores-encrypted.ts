import { PolicyResource } from "@pulumi/policy";
import { label, StackIndex, stackIndex } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { asArray, get, isRecord, peek, show, UNKNOWN } from "../../lib/values";

const KEY = "aws:kms/key:Key";
const BUCKET_SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";

/**
 * Where each store type names the key it is encrypted with at rest, and what
 * it falls back to without one (each service's "Encryption at rest" page):
 * - SQS `kmsMasterKeyId` (CreateQueue KmsMasterKeyId; without it the queue
 *   is unencrypted or SSE-SQS, a key SQS owns: SQS Developer Guide,
 *   "Encryption at rest in Amazon SQS");
 * - SNS `kmsMasterKeyId` (without it the topic is not encrypted: SNS
 *   Developer Guide, "Securing Amazon SNS data with server-side encryption");
 * - DynamoDB `serverSideEncryption.kmsKeyArn` with `enabled` (without it the
 *   table uses a key DynamoDB owns: DynamoDB Developer Guide, "DynamoDB
 *   encryption at rest");
 * - S3: the bucket's default encryption, a
 *   BucketServerSideEncryptionConfiguration with `aws:kms` (or
 *   `aws:kms:dsse`) and `kmsMasterKeyId` (without it S3 uses SSE-S3, keys S3
 *   owns: S3 User Guide, "Setting default server-side encryption behavior").
 * A key AWS owns or manages (`alias/aws/sqs`, SSE-SQS, SSE-S3) has a key
 * policy nobody in the account can change, so it cannot keep any principal
 * out: only a key the stack creates (and whose policy it writes) is a
 * second lock on the data.
 */
const STORES: Readonly<Record<string, { what: string; prop: string; fix: string }>> = {
    "aws:sqs/queue:Queue": { what: "queue", prop: "kmsMasterKeyId", fix: "set kmsMasterKeyId to the service's key" },
    "aws:sns/topic:Topic": { what: "topic", prop: "kmsMasterKeyId", fix: "set kmsMasterKeyId to the service's key" },
    "aws:dynamodb/table:Table": { what: "table", prop: "serverSideEncryption", fix: "set serverSideEncryption: { enabled: true, kmsKeyArn: <the service's key> }" },
    "aws:s3/bucket:Bucket": { what: "bucket", prop: "", fix: "add a BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms and kmsMasterKeyId the service's key" },
};

/** A store's encryption: fine, wrong (why), or unknown until `up` (which property of which resource). */
type Verdict = { ok: true } | { ok: false; why: string } | { unknown: { r: PolicyResource; prop: string } };

/**
 * Whether `value` (a key id, ARN or alias, found at property `prop` of `r`)
 * is a key this stack creates, of the store's own service or of no service
 * (the platform's shared key): by property dependency, or by value equal to a
 * key's ARN or id.
 */
function stackKey(idx: StackIndex, r: PolicyResource, prop: string, value: unknown, owner: string | undefined): Verdict {
    const keys = idx.propDeps(r, prop).filter((d) => d.type === KEY);
    const byValue = typeof value === "string" ? idx.ofType(KEY).filter((k) => peek(k.props, "arn") === value || peek(k.props, "keyId") === value || peek(k.props, "id") === value) : [];
    const found = [...keys, ...byValue];
    if (found.length === 0) {
        if (value === UNKNOWN) return { unknown: { r, prop } };
        return { ok: false, why: value === undefined || value === null || value === "" ? "names no key" : `names ${show(value)}, which is no key this stack creates` };
    }
    for (const k of found) {
        const keyOwner = idx.serviceOf(k);
        if (keyOwner === UNKNOWN) return { unknown: { r: k, prop: "tags" } };
        if (keyOwner !== undefined && keyOwner !== owner) return { ok: false, why: `is encrypted with ${keyOwner}'s key ${label(k)}, whose key policy is ${keyOwner}'s` };
    }
    return { ok: true };
}

function bucketVerdict(idx: StackIndex, bucket: PolicyResource, owner: string | undefined): Verdict {
    const configs = idx.referencing(bucket.urn, "bucket").filter((c) => c.type === BUCKET_SSE);
    // The bucket's own (deprecated) inline configuration counts too.
    const inline = peek(bucket.props, "serverSideEncryptionConfiguration");
    const candidates: { r: PolicyResource; prop: string; rules: unknown }[] = configs.map((c) => ({ r: c, prop: "rules", rules: peek(c.props, "rules") }));
    if (isRecord(inline)) candidates.push({ r: bucket, prop: "serverSideEncryptionConfiguration", rules: [inline.rule] });
    if (candidates.length === 0) return { ok: false, why: "has no default encryption (S3 then uses SSE-S3, keys S3 owns)" };
    let last: Verdict = { ok: false, why: "has no default encryption" };
    for (const c of candidates) {
        const unknown = { unknown: { r: c.r, prop: c.prop } };
        if (c.rules === UNKNOWN) return unknown;
        for (const rule of asArray(c.rules)) {
            const by = isRecord(rule) ? peek(rule, "applyServerSideEncryptionByDefault") : undefined;
            if (by === UNKNOWN) return unknown;
            const algorithm = isRecord(by) ? peek(by, "sseAlgorithm") : undefined;
            if (algorithm === UNKNOWN) return unknown;
            if (algorithm !== "aws:kms" && algorithm !== "aws:kms:dsse") {
                last = { ok: false, why: `is encrypted by default with ${show(algorithm ?? null)} (${label(c.r)}), not with a KMS key` };
                continue;
            }
            const v = stackKey(idx, c.r, c.prop, isRecord(by) ? peek(by, "kmsMasterKeyId") : undefined, owner);
            if (!("ok" in v) || v.ok) return v;
            last = v;
        }
    }
    return last;
}

export const dataStoresEncrypted = stackRule({
    name: "data-stores-encrypted",
    description:
        "Nothing a service owns is stored unencrypted or under a key the platform does not hold: every SQS queue, SNS topic, DynamoDB table and S3 bucket of a service " +
        "is encrypted at rest with a KMS key this stack creates (the service's own key or the platform's shared one), never with no key, an AWS owned or AWS managed key, or another service's key.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Encrypt the store with the key the platform gives its service (components/serviceData.ts creates every declared store so).",
    meta: {
        area: "iam",
        rationale:
            "A store's key policy is the second lock on its data: only a key the stack creates can refuse a principal the resource policy forgot. " +
            "Defaults per type: SQS Developer Guide \"Encryption at rest in Amazon SQS\"; SNS Developer Guide \"Securing Amazon SNS data with server-side encryption\"; " +
            "DynamoDB Developer Guide \"DynamoDB encryption at rest\"; S3 User Guide \"Setting default server-side encryption behavior for Amazon S3 buckets\".",
        equivalents: { checkov: ["CKV_AWS_27", "CKV_AWS_26", "CKV_AWS_119", "CKV_AWS_145"], cdkNag: ["AwsSolutions-SQS2", "AwsSolutions-SNS2"] },
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        let undecided: { r: PolicyResource; prop: string } | undefined;
        for (const r of idx.ofType(...Object.keys(STORES))) {
            const owner = idx.serviceOf(r);
            if (owner === UNKNOWN) {
                undecided = { r, prop: "tags" };
                continue;
            }
            if (owner === undefined) continue; // not a service's: the platform's own resources are judged elsewhere
            const s = STORES[r.type];
            let v: Verdict;
            if (r.type === "aws:s3/bucket:Bucket") {
                v = bucketVerdict(idx, r, owner);
            } else if (r.type === "aws:dynamodb/table:Table") {
                const sse = peek(r.props, "serverSideEncryption");
                const enabled = isRecord(sse) ? peek(sse, "enabled") : undefined;
                if (sse === UNKNOWN || enabled === UNKNOWN) v = { unknown: { r, prop: "serverSideEncryption" } };
                else if (enabled !== true) v = { ok: false, why: `has serverSideEncryption = ${show(sse ?? null)} (DynamoDB then uses a key it owns)` };
                else v = stackKey(idx, r, "serverSideEncryption", isRecord(sse) ? peek(sse, "kmsKeyArn") : undefined, owner);
            } else {
                v = stackKey(idx, r, s.prop, peek(r.props, s.prop), owner);
            }
            if ("unknown" in v) {
                undecided = v.unknown;
                continue;
            }
            if (!v.ok) report(`${label(r)}, a ${s.what} of ${owner}, ${v.why}. Fix: ${s.fix}.`, r.urn);
        }
        if (undecided) {
            // Read what was unknown as the engine's proxy sees it, so preview reports the rule as unable to run (after the findings above).
            void get(undecided.r.props, undecided.prop);
        }
    },
});
