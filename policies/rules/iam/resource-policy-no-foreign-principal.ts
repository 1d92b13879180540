import { parsePolicyDocument, principalValues, Statement, statementName } from "../../lib/policydoc";
import { ofTypes, resourceRule, subject } from "../../lib/rule";
import { bool, get } from "../../lib/values";

/** Resource-based policies: type -> the property holding the document. */
export const POLICY_DOC_PROP: Record<string, string> = {
    "aws:kms/key:Key": "policy",
    "aws:dynamodb/resourcePolicy:ResourcePolicy": "policy",
    "aws:kms/keyPolicy:KeyPolicy": "policy",
    "aws:s3/bucketPolicy:BucketPolicy": "policy",
    "aws:s3/bucket:Bucket": "policy",
    "aws:s3/bucketV2:BucketV2": "policy",
    "aws:secretsmanager/secret:Secret": "policy",
    "aws:secretsmanager/secretPolicy:SecretPolicy": "policy",
    "aws:sns/topic:Topic": "policy",
    "aws:sns/topicPolicy:TopicPolicy": "policy",
    "aws:sqs/queue:Queue": "policy",
    "aws:sqs/queuePolicy:QueuePolicy": "policy",
    "aws:ecr/repositoryPolicy:RepositoryPolicy": "policy",
    "aws:ecr/registryPolicy:RegistryPolicy": "policy",
};
export const LAMBDA_PERMISSION = "aws:lambda/permission:Permission";

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

const FIX_STAR = "Fix: name the principal (a role ARN of this account, or the service with aws:SourceArn/aws:SourceAccount), or add a condition that narrows it (aws:SourceArn, aws:PrincipalOrgID, aws:SourceVpce...).";

export const resourcePolicyNoForeignPrincipal = resourceRule({
    name: "resource-policy-no-foreign-principal",
    description:
        "No resource-based policy (KMS key, S3 bucket, Secrets Manager secret, SNS topic, SQS queue, ECR repository/registry) grants `*` without a restricting condition; S3 public access blocks keep all four settings on (other accounts: resource-policy-no-foreign-account).",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Grant this account's roles by ARN, or AWS services with aws:SourceArn/aws:SourceAccount; never Principal \"*\" without a condition naming the caller.",
    meta: {
        afterUp: "a document built from the resource's own ARN (a topic, queue or bucket policy naming itself) is unknown in preview.",
        area: "iam",
        rationale:
            "A resource-based policy grants across accounts by itself: a Principal of another account (or *) needs no IAM policy on the caller's side " +
            "(IAM user guide, \"Cross account resource access in IAM\", https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies-cross-account-resource-access.html; " +
            "\"Policy evaluation logic\"). S3 Block Public Access makes AWS refuse public bucket policies (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html). Service principals are confused deputies without aws:SourceArn/aws:SourceAccount (IAM user guide, \"The confused deputy problem\").",
        equivalents: { checkov: ["CKV_AWS_33", "CKV_AWS_70", "CKV_AWS_168", "CKV_AWS_169"] },
    },
    validateResource: [
        ...ofTypes(Object.keys(POLICY_DOC_PROP), (props, args, report) => {
            const prop = POLICY_DOC_PROP[args.type];
            const doc = parsePolicyDocument(get(props, prop));
            for (const s of doc.statements) {
                if (s.effect !== "Allow") {
                    continue;
                }
                for (const p of principalValues(s)) {
                    if (p.value === "*" && restrictingConditions(s).length === 0) {
                        report(`${subject(args)} ${prop} statement ${statementName(s)} grants Principal ${p.kind === "*" ? '"*"' : `{ ${p.kind}: "*" }`} (actions ${JSON.stringify(s.actions ?? s.notActions ?? [])}) with no condition that narrows it. ${FIX_STAR}`);
                    }
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
    ],
});
