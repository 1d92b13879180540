import { accountOf } from "../../lib/arn";
import { parsePolicyDocument, principalValues, Statement, statementName } from "../../lib/policydoc";
import { ofTypes, resourceRule, subject } from "../../lib/rule";
import { configValue } from "../../lib/stack-config";
import { asStrings, bool, get, str } from "../../lib/values";

/**
 * Resource-based policies and where the resource's own account can be read
 * (a real output or input of that resource type in pulumi-aws).
 */
const POLICY_TYPES: Record<string, { doc: string; own?: (props: unknown) => string | undefined }> = {
    "aws:kms/key:Key": { doc: "policy", own: (p) => accountOfArn(get(p, "arn")) },
    "aws:kms/keyPolicy:KeyPolicy": { doc: "policy", own: (p) => accountOfArn(get(p, "keyId")) },
    "aws:s3/bucketPolicy:BucketPolicy": { doc: "policy" },
    "aws:s3/bucket:Bucket": { doc: "policy" },
    "aws:s3/bucketV2:BucketV2": { doc: "policy" },
    "aws:secretsmanager/secret:Secret": { doc: "policy", own: (p) => accountOfArn(get(p, "arn")) },
    "aws:secretsmanager/secretPolicy:SecretPolicy": { doc: "policy", own: (p) => accountOfArn(get(p, "secretArn")) },
    "aws:sns/topic:Topic": { doc: "policy", own: (p) => accountOfArn(get(p, "arn")) },
    "aws:sns/topicPolicy:TopicPolicy": { doc: "policy", own: (p) => accountOfArn(get(p, "arn")) },
    "aws:sqs/queue:Queue": { doc: "policy", own: (p) => accountOfArn(get(p, "arn")) },
    "aws:sqs/queuePolicy:QueuePolicy": { doc: "policy", own: (p) => /^https:\/\/[^/]+\/(\d{12})\//.exec(str(get(p, "queueUrl")) ?? "")?.[1] },
    "aws:ecr/repositoryPolicy:RepositoryPolicy": { doc: "policy", own: (p) => str(get(p, "registryId")) },
    "aws:ecr/registryPolicy:RegistryPolicy": { doc: "policy", own: (p) => str(get(p, "registryId")) },
};
const PERMISSION = "aws:lambda/permission:Permission";

function accountOfArn(v: unknown): string | undefined {
    const s = str(v);
    return s ? /^arn:aws[a-z-]*:[^:]*:[^:]*:(\d{12}):/.exec(s)?.[1] : undefined;
}

/** Condition keys that, with a concrete value under a positive operator, narrow a `*` principal to known callers. */
const RESTRICTING_KEYS = new Set([
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourcevpce",
    "aws:sourcevpc",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:userid",
    "kms:calleraccount",
]);

export function restrictingConditions(s: Statement): string[] {
    const out: string[] = [];
    for (const [op, keys] of Object.entries(s.conditions)) {
        if (/not|ifexists$/.test(op) || op === "null") {
            continue;
        }
        for (const [key, values] of Object.entries(keys)) {
            if (RESTRICTING_KEYS.has(key) && values.length > 0 && values.every((v) => !/^[*?]+$/.test(v))) {
                out.push(key);
            }
        }
    }
    return out;
}

/** The stack's own accounts: this rule's config, the aws provider's allowedAccountIds, and the resource's own account. */
function ownAccounts(configured: string[], own: string | undefined): Set<string> {
    const allowed = configValue("allowedAccountIds", "aws");
    const fromStack = typeof allowed === "string" ? (() => { try { return asStrings(JSON.parse(allowed)); } catch { return []; } })() : asStrings(allowed);
    return new Set([...configured, ...fromStack, ...(own ? [own] : [])]);
}

const FIX_STAR = "Fix: name the principal (a role ARN of this account, or the service with aws:SourceArn/aws:SourceAccount), or add a condition that narrows it (aws:SourceArn, aws:PrincipalOrgID, aws:SourceVpce...).";
const FIX_FOREIGN = "Fix: grant only principals of this account; list a partner account in this policy's accountIds with a reason if the grant is intended.";

export const resourcePolicyNoForeignPrincipal = resourceRule({
    name: "resource-policy-no-foreign-principal",
    description:
        "No resource-based policy (KMS key, S3 bucket, Secrets Manager secret, SNS topic, SQS queue, ECR repository/registry, Lambda permission) grants `*` without a restricting condition, or a principal of another account; S3 public access blocks keep all four settings on.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Grant this account's roles by ARN, or AWS services with aws:SourceArn/aws:SourceAccount; never Principal \"*\" without a condition naming the caller; other accounts only when listed in accountIds.",
    configSchema: {
        properties: {
            accountIds: { type: "array", items: { type: "string", pattern: "^\\d{12}$" }, default: [], description: "The stack's own and deliberately trusted account ids." },
        },
    },
    meta: {
        afterUp: "whether an account principal is this account's is read from the resource's own ARN (or registry id), known after up; a * principal is judged in preview.",
        area: "iam",
        rationale:
            "A resource-based policy grants across accounts by itself: a Principal of another account (or *) needs no IAM policy on the caller's side " +
            "(IAM user guide, \"Cross account resource access in IAM\", https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies-cross-account-resource-access.html; " +
            "\"Policy evaluation logic\"). S3 Block Public Access makes AWS refuse public bucket policies (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html). Service principals are confused deputies without aws:SourceArn/aws:SourceAccount (IAM user guide, \"The confused deputy problem\").",
        equivalents: { checkov: ["CKV_AWS_33", "CKV_AWS_70", "CKV_AWS_168", "CKV_AWS_169"] },
    },
    validateResource: [
        ...ofTypes(Object.keys(POLICY_TYPES), (props, args, report) => {
            const spec = POLICY_TYPES[args.type];
            const doc = parsePolicyDocument(get(props, spec.doc));
            const foreign: { s: Statement; value: string; account: string }[] = [];
            for (const s of doc.statements) {
                if (s.effect !== "Allow") {
                    continue;
                }
                for (const p of principalValues(s)) {
                    if (p.value === "*" && restrictingConditions(s).length === 0) {
                        report(`${subject(args)} ${spec.doc} statement ${statementName(s)} grants Principal ${p.kind === "*" ? '"*"' : `{ ${p.kind}: "*" }`} (actions ${JSON.stringify(s.actions ?? s.notActions ?? [])}) with no condition that narrows it. ${FIX_STAR}`);
                    }
                    const account = p.kind === "AWS" ? accountOf(p.value) : undefined;
                    if (account) {
                        foreign.push({ s, value: p.value, account });
                    }
                }
            }
            if (foreign.length === 0) {
                return;
            }
            const configured = asStrings(args.getConfig<{ accountIds?: unknown }>().accountIds);
            // Read the resource's own account only when needed: unknown in preview, the engine reports it.
            const needed = foreign.some((f) => !configured.includes(f.account));
            const own = ownAccounts(configured, needed && spec.own ? spec.own(props) : undefined);
            if (own.size === 0) {
                return;
            }
            for (const f of foreign) {
                if (!own.has(f.account)) {
                    report(`${subject(args)} ${spec.doc} statement ${statementName(f.s)} grants ${JSON.stringify(f.value)} (account ${f.account}, not this account) ${JSON.stringify(f.s.actions ?? f.s.notActions ?? [])}. ${FIX_FOREIGN}`);
                }
            }
        }),
        ...ofTypes(["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"], (props, args, report) => {
            // With BlockPublicPolicy AWS refuses a public bucket policy; RestrictPublicBuckets stops an existing one from working.
            for (const key of ["blockPublicPolicy", "restrictPublicBuckets", "blockPublicAcls", "ignorePublicAcls"]) {
                if (bool(get(props, key)) !== true) {
                    report(`${subject(args)} ${key} = ${JSON.stringify(get(props, key) ?? null)} lets a bucket policy or ACL grant the public. Fix: set ${key}: true.`);
                }
            }
        }),
        ...ofTypes([PERMISSION], (props, args, report) => {
            const principal = str(get(props, "principal"));
            const account = principal ? accountOf(principal) : undefined;
            if (!account) {
                return;
            }
            const configured = asStrings(args.getConfig<{ accountIds?: unknown }>().accountIds);
            const own = ownAccounts(configured, configured.includes(account) ? undefined : accountOfArn(get(props, "function")));
            if (own.size > 0 && !own.has(account)) {
                report(`${subject(args)} principal = ${JSON.stringify(principal)} lets account ${account} invoke the function. ${FIX_FOREIGN}`);
            }
        }),
    ],
});
