/**
 * AWS-owned accounts that AWS documents as the account of one of its
 * services, by Region: a policy that names one of them names AWS, not a
 * stranger. Only accounts AWS publishes belong here, each with its page.
 *
 * Elastic Load Balancing delivers access logs of a load balancer in a Region
 * available before August 2022 as the Region's ELB account, which the log
 * bucket's policy names (newer Regions use the service principal
 * logdelivery.elasticloadbalancing.amazonaws.com instead): Elastic Load
 * Balancing User Guide for Application Load Balancers, "Enable access logs
 * for your Application Load Balancer", "Step 2: Attach a policy to your S3
 * bucket" (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html).
 */
export interface AwsServiceAccount {
    account: string;
    region: string;
    what: string;
    source: string;
}

const ELB_LOGS = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html";

const elb = (region: string, account: string): AwsServiceAccount => ({ account, region, what: "Elastic Load Balancing access-log delivery", source: ELB_LOGS });

export const AWS_SERVICE_ACCOUNTS: readonly AwsServiceAccount[] = [
    elb("us-east-1", "127311923021"),
    elb("us-east-2", "033677994240"),
    elb("us-west-1", "027434742980"),
    elb("us-west-2", "797873946194"),
    elb("eu-west-1", "156460612806"),
    elb("eu-central-1", "054676820928"),
    elb("ap-northeast-1", "582318560864"),
    elb("ap-southeast-1", "114774131450"),
];

/**
 * The stack key that declares the account a stack deploys into: the AWS
 * provider's `allowedAccountIds` (@pulumi/aws 7.48.0 config/vars.d.ts,
 * `string[]`), with which the provider refuses to run with credentials of any
 * other account (terraform-provider-aws internal/conns/config.go,
 * ConfigureProvider: VerifyAccountIDAllowed). The pack and the program read it.
 */
export const DEPLOYING_ACCOUNT_KEY = "aws:allowedAccountIds";
