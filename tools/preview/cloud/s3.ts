/**
 * Amazon S3 in the fake cloud: buckets and the bucket-level configurations a
 * service's bucket carries (public access block, policy, versioning,
 * default encryption).
 *
 * Sources (@pulumi/aws 7.48.0, which bridges terraform-provider-aws; its
 * generated reference in node_modules/@pulumi/aws/s3/*.d.ts):
 * - `aws.s3.Bucket` (bucket.d.ts): imported "using the `bucket`", so id =
 *   the bucket's name; `arn` "of format `arn:aws:s3:::bucketname`" (no Region
 *   or account: bucket names are global); `bucketDomainName`
 *   `bucketname.s3.amazonaws.com`; the name "must be lowercase and less than
 *   or equal to 63 characters". The Region-specific domain name is
 *   `<bucket>.s3.<region>.amazonaws.com` (AWS General Reference, "Amazon S3
 *   endpoints").
 * - A name outside S3's rules is refused by CreateBucket with
 *   `InvalidBucketName` (S3 User Guide, "General purpose bucket naming rules";
 *   S3 API reference, "Error responses").
 * - `BucketPublicAccessBlock`, `BucketPolicy`, `BucketVersioning`,
 *   `BucketServerSideEncryptionConfiguration`: each imported by the bucket
 *   name (their d.ts, Import), so id = the bucket.
 */
import { apiError, Handler, ServiceModel, str } from "./common";

/** S3's general purpose bucket naming rules (S3 User Guide). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const byBucket: Handler = c => ({ id: str(c.inputs.bucket) ?? c.name });

const resources: Record<string, Handler> = {
    "aws:s3/bucket:Bucket": c => {
        const name = c.autoname("bucket", { maxLength: 63, lower: true });
        if (!BUCKET_NAME.test(name) || name.includes("..")) {
            c.refuse(apiError("creating S3 Bucket", "S3", "CreateBucket", "InvalidBucketName", "The specified bucket is not valid."));
        }
        return {
            id: name,
            checked: { bucket: name },
            computed: {
                arn: `arn:${c.partition}:s3:::${name}`,
                bucketDomainName: `${name}.s3.amazonaws.com`,
                bucketRegionalDomainName: `${name}.s3.${c.region}.amazonaws.com`,
                region: c.region,
            },
        };
    },
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": byBucket,
    "aws:s3/bucketPolicy:BucketPolicy": byBucket,
    "aws:s3/bucketVersioning:BucketVersioning": byBucket,
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": byBucket,
};

export const S3: ServiceModel = { resources };
