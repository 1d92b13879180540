/**
 * The caller's identity, Region and partition: `aws.getCallerIdentity`
 * (STS GetCallerIdentity), `aws.getRegion` and `aws.getPartition` (answered
 * by the provider from its configuration).
 *
 * Sources:
 * - A role session's ARN `arn:aws:sts::<account>:assumed-role/<role>/<session>`
 *   and user id `<role id>:<session>`; an IAM user's ARN and `AIDA…` id (STS
 *   API reference, GetCallerIdentity; IAM User Guide, "Unique identifiers").
 * - `getRegion`: `name`/`region`, `endpoint` `ec2.<region>.amazonaws.com`,
 *   description (terraform-provider-aws `internal/service/meta/region_data_source.go`).
 * - `getPartition`: `dnsSuffix` `amazonaws.com` (`amazonaws.com.cn` in
 *   China), `reverseDnsPrefix` (`internal/service/meta/partition_data_source.go`).
 */
import { ServiceModel, upperAlnum } from "./common";

export const STS: ServiceModel = {
    invokes: {
        "aws:index/getCallerIdentity:getCallerIdentity": c => {
            const role = c.roleArn?.split("/").pop();
            return {
                id: c.account,
                accountId: c.account,
                arn: role ? `arn:${c.partition}:sts::${c.account}:assumed-role/${role}/offline-preview` : `arn:${c.partition}:iam::${c.account}:user/offline-preview`,
                userId: role ? `AROA${upperAlnum(c.hex(34))}:offline-preview` : `AIDA${upperAlnum(c.hex(34))}`,
            };
        },
        "aws:index/getRegion:getRegion": c => ({
            id: c.region,
            name: c.region,
            region: c.region,
            description: c.region,
            endpoint: `ec2.${c.region}.amazonaws.com`,
        }),
        "aws:index/getPartition:getPartition": c => ({
            id: c.partition,
            partition: c.partition,
            dnsSuffix: c.partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com",
            reverseDnsPrefix: c.partition === "aws-cn" ? "cn.com.amazonaws" : "com.amazonaws",
        }),
    },
};
