import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountContext, policyDocument } from "./shared";

export interface PlatformKeyArgs {
    account: AccountContext;
    /** Protect the key and keep it when the stack is destroyed (logs and images stay readable). */
    protect: boolean;
    tags: Record<string, string>;
}

/**
 * The stack's customer-managed KMS key: encrypts log groups, endpoint
 * notification topics and ECR repositories. Its policy lets CloudWatch Logs
 * use it for this account's log groups and lets PrivateLink publish
 * encrypted notifications, nothing else beyond the account's own IAM.
 */
export class PlatformKey extends pulumi.ComponentResource {
    public readonly key: aws.kms.Key;
    public readonly arn: pulumi.Output<string>;

    constructor(name: string, args: PlatformKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("privatelink:security:PlatformKey", name, {}, opts);
        const { accountId, region, partition } = args.account;

        this.key = new aws.kms.Key(`${name}-key`, {
            description: "privatelink-platform: logs, endpoint notifications and images",
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            policy: policyDocument([
                {
                    Sid: "AccountAdministers",
                    Effect: "Allow",
                    Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${accountId}:root` },
                    Action: "kms:*",
                    Resource: "*",
                },
                {
                    Sid: "CloudWatchLogs",
                    Effect: "Allow",
                    Principal: { Service: pulumi.interpolate`logs.${region}.amazonaws.com` },
                    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                    Resource: "*",
                    Condition: {
                        ArnLike: {
                            "kms:EncryptionContext:aws:logs:arn": pulumi.interpolate`arn:${partition}:logs:${region}:${accountId}:log-group:*`,
                        },
                    },
                },
                {
                    Sid: "EndpointServiceNotifications",
                    Effect: "Allow",
                    Principal: { Service: "vpce.amazonaws.com" },
                    Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
                    Resource: "*",
                    Condition: { StringEquals: { "aws:SourceAccount": accountId } },
                },
            ]),
            tags: args.tags,
        }, { parent: this, protect: args.protect, retainOnDelete: args.protect });
        this.arn = this.key.arn;

        this.registerOutputs({ keyArn: this.key.arn });
    }
}
