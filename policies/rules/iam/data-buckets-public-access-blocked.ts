import { label, stackIndex } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { get, peek, UNKNOWN } from "../../lib/values";

const BUCKET = "aws:s3/bucket:Bucket";
const BUCKET_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const ACCOUNT_BLOCK = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock";
/** The four settings; each closes one way to the public (S3 User Guide, "Blocking public access to your Amazon S3 storage", "Block public access settings"). */
const SETTINGS = ["blockPublicAcls", "ignorePublicAcls", "blockPublicPolicy", "restrictPublicBuckets"];

export const dataBucketsPublicAccessBlocked = stackRule({
    name: "data-buckets-public-access-blocked",
    description:
        "No store is public: every S3 bucket of a service has a public access block the stack holds (its own, or the account's), " +
        "so no bucket policy or ACL can open it to the public; the settings' values are held by resource-policy-no-foreign-principal.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Add an aws.s3.BucketPublicAccessBlock for the bucket with all four settings true (components/serviceData.ts does so for every declared bucket).",
    meta: {
        area: "iam",
        rationale:
            "AWS turns all four settings on for every new bucket (since April 2023: S3 User Guide, \"Blocking public access to your Amazon S3 storage\"; AWS News Blog, \"Heads-up: Amazon S3 security changes are coming in April of 2023\"), " +
            "but without a BucketPublicAccessBlock the program does not hold them: anyone allowed s3:PutBucketPublicAccessBlock can turn them off, a public bucket policy or ACL then takes effect, and no `pulumi up` puts them back.",
        equivalents: { checkov: ["CKV2_AWS_6"], cdkNag: ["AwsSolutions-S2"] },
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        // The account's block covers every bucket of the account (S3 User Guide, "Configuring block public access settings for your account").
        if (idx.ofType(ACCOUNT_BLOCK).length > 0) return;
        let undecided: { r: (typeof args.resources)[number]; prop: string } | undefined;
        for (const bucket of idx.ofType(BUCKET)) {
            const owner = idx.serviceOf(bucket);
            if (owner === UNKNOWN) {
                undecided = { r: bucket, prop: "tags" };
                continue;
            }
            if (owner === undefined) continue; // not a service's
            const blocks = idx.referencing(bucket.urn, "bucket").filter((b) => b.type === BUCKET_BLOCK);
            if (blocks.length > 0) continue;
            // A block naming the bucket by value rather than by reference.
            const name = peek(bucket.props, "bucket");
            if (name === UNKNOWN) {
                undecided = { r: bucket, prop: "bucket" };
                continue;
            }
            if (typeof name === "string" && idx.ofType(BUCKET_BLOCK).some((b) => peek(b.props, "bucket") === name)) continue;
            report(
                `${label(bucket)}, a bucket of ${owner}, has no public access block (${SETTINGS.join(", ")}), so a bucket policy or ACL can make it public. ` +
                    `Fix: add aws.s3.BucketPublicAccessBlock for it with all four settings true.`,
                bucket.urn,
            );
        }
        if (undecided) {
            // Read what was unknown as the engine's proxy sees it, so preview reports the rule as unable to run (after the findings above).
            void get(undecided.r.props, undecided.prop);
        }
    },
});
