/**
 * The AWS service quotas a stack of this platform consumes, as data: code,
 * service code, name as the Service Quotas console shows it, scope, the AWS
 * default and where that default is documented. No imports: the catalog
 * validation (components/catalog) and the policy pack both read it.
 *
 * Defaults are what AWS documents for an account; the value applied to a
 * given account can be lower (new accounts) or higher (raised, or raised
 * automatically with usage). Only `aws service-quotas get-service-quota`
 * tells the applied value.
 */

export type QuotaScope = "region" | "vpc" | "interface";

export interface QuotaDef {
    /** Service Quotas quota code. */
    code: string;
    /** Service Quotas service code (`--service-code`). */
    serviceCode: string;
    /** The quota's name in Service Quotas. */
    name: string;
    /** What one value of the quota limits: the Region, each VPC, or each network interface. */
    scope: QuotaScope;
    /** The AWS default (for vCPU quotas: vCPUs). */
    default: number;
    unit: string;
    /** Where the default and the code are documented. */
    source: string;
    /** What the default does not say: lower values in new accounts, how AWS counts. */
    note?: string;
    /**
     * New accounts get a lower value than `default`, which AWS does not state:
     * a stack that needs any of the quota must declare the value applied in
     * its account (`platform.quotas`); the default is not relied on.
     */
    declareWhenNeeded?: boolean;
}

const VPC_QUOTAS = "AWS General Reference, \"Amazon Virtual Private Cloud endpoints and quotas\" (https://docs.aws.amazon.com/general/latest/gr/vpc-service.html); Amazon VPC User Guide, \"Amazon VPC quotas\" (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html)";
const PRIVATELINK_QUOTAS = "AWS PrivateLink Guide, \"AWS PrivateLink quotas\" (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-limits-endpoints.html)";
const ELB_QUOTAS = "Elastic Load Balancing, \"Quotas for your Network Load Balancers\" / \"Quotas for your Application Load Balancers\" (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-limits.html, https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html); AWS General Reference, \"Elastic Load Balancing endpoints and quotas\"";
const EC2_VCPU = "Amazon EC2 User Guide, \"Amazon EC2 service quotas\" / \"On-Demand Instance quotas\" (https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-quotas.html): On-Demand quotas count running vCPUs per instance class";

export const QUOTAS: readonly QuotaDef[] = [
    {
        code: "L-F678F1CE",
        serviceCode: "vpc",
        name: "VPCs per Region",
        scope: "region",
        default: 5,
        unit: "VPCs",
        source: VPC_QUOTAS,
        note: "The default VPC counts against it unless it was deleted.",
    },
    {
        code: "L-29B6F2EB",
        serviceCode: "vpc",
        name: "Interface VPC endpoints per VPC",
        scope: "vpc",
        default: 50,
        unit: "endpoints",
        source: `${VPC_QUOTAS}; ${PRIVATELINK_QUOTAS}`,
        note: "A raise applies to every VPC in the Region.",
    },
    {
        code: "L-1B52E74A",
        serviceCode: "vpc",
        name: "Gateway VPC endpoints per Region",
        scope: "region",
        default: 20,
        unit: "endpoints",
        source: `${VPC_QUOTAS}; ${PRIVATELINK_QUOTAS}`,
        note: "Every service VPC here has an S3 gateway endpoint.",
    },
    {
        code: "L-2AFB9258",
        serviceCode: "vpc",
        name: "Security groups per network interface",
        scope: "interface",
        default: 5,
        unit: "security groups",
        source: VPC_QUOTAS,
        note: "The product of this quota and rules per security group cannot exceed 1,000.",
    },
    {
        code: "L-E79EC296",
        serviceCode: "vpc",
        name: "VPC security groups per Region",
        scope: "region",
        default: 2500,
        unit: "security groups",
        source: VPC_QUOTAS,
    },
    {
        code: "L-69A177A2",
        serviceCode: "elasticloadbalancing",
        name: "Network Load Balancers per Region",
        scope: "region",
        default: 50,
        unit: "load balancers",
        source: ELB_QUOTAS,
    },
    {
        code: "L-53DA6B97",
        serviceCode: "elasticloadbalancing",
        name: "Application Load Balancers per Region",
        scope: "region",
        default: 50,
        unit: "load balancers",
        source: ELB_QUOTAS,
    },
    {
        code: "L-B22855CB",
        serviceCode: "elasticloadbalancing",
        name: "Target Groups per Region",
        scope: "region",
        default: 3000,
        unit: "target groups",
        source: ELB_QUOTAS,
    },
    {
        code: "L-1194D53C",
        serviceCode: "eks",
        name: "Clusters",
        scope: "region",
        default: 100,
        unit: "clusters",
        source: "Amazon EKS User Guide, \"View and manage Amazon EKS and Fargate service quotas\" (https://docs.aws.amazon.com/eks/latest/userguide/service-quotas.html)",
    },
    {
        code: "L-F98FE922",
        serviceCode: "dynamodb",
        name: "Maximum number of tables",
        scope: "region",
        default: 2500,
        unit: "tables",
        source: "Amazon DynamoDB Developer Guide, \"Quotas in Amazon DynamoDB\", Tables (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html)",
        note: "Counts every table of the account in the Region, those of other stacks too.",
    },
    {
        code: "L-DC2B2D3D",
        serviceCode: "s3",
        name: "General purpose buckets",
        scope: "region",
        default: 10000,
        unit: "buckets",
        source: "Amazon S3 User Guide, \"Amazon S3 quotas\" / \"General purpose bucket quotas\" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/BucketRestrictions.html): 10,000 per account since November 2024 (100 before)",
        note: "Per account across all Regions: every bucket of the account counts, wherever it is.",
    },
    {
        code: "L-244521F2",
        serviceCode: "events",
        name: "Number of rules",
        scope: "region",
        default: 300,
        unit: "rules",
        source: "Amazon EventBridge User Guide, \"Amazon EventBridge quotas\", Rules per event bus (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html): 300 in most Regions, fewer in some",
        note: "Counts the rules of the default event bus, where the platform's schedules live.",
    },
    {
        code: "L-3032A538",
        serviceCode: "fargate",
        name: "Fargate On-Demand vCPU resource count",
        scope: "region",
        default: 6,
        unit: "vCPUs",
        source: "AWS General Reference, \"Amazon ECS endpoints and quotas\" (AWS Fargate service quotas, https://docs.aws.amazon.com/general/latest/gr/ecs-service.html); Amazon ECS Developer Guide, \"Amazon ECS service quotas\" (new accounts start lower and AWS raises them with usage); AWS Containers blog, \"Migrating Fargate service quotas to vCPU-based quotas\"",
        note: "Counts the vCPUs of running ECS tasks and EKS pods on Fargate; established accounts often show 4,000, new ones 6.",
    },
    {
        code: "L-1216C47A",
        serviceCode: "ec2",
        name: "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances",
        scope: "region",
        default: 5,
        unit: "vCPUs",
        source: EC2_VCPU,
        note: "The documented default is 5 vCPUs; many accounts have far more applied, new accounts often exactly the default.",
    },
    {
        code: "L-DB2E81BA",
        serviceCode: "ec2",
        name: "Running On-Demand G and VT instances",
        scope: "region",
        default: 0,
        unit: "vCPUs",
        source: EC2_VCPU,
        note: "Often 0 in a new account: not a single g5.xlarge starts until it is raised.",
    },
    {
        code: "L-B99A9384",
        serviceCode: "lambda",
        name: "Concurrent executions",
        scope: "region",
        default: 1000,
        unit: "concurrent executions",
        source: "AWS Lambda Developer Guide, \"Lambda quotas\" (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html: new accounts have reduced concurrency); Lambda API Reference, PutFunctionConcurrency (at least 100 executions must stay unreserved)",
        note: "Reserved concurrency must leave at least 100 unreserved: the stack needs its total reserved concurrency + 100. New accounts have reduced concurrency (\"New AWS accounts have reduced concurrency and memory quotas\", Lambda quotas), so a stack that reserves any declares the applied value (aws service-quotas get-service-quota --service-code lambda --quota-code L-B99A9384).",
        declareWhenNeeded: true,
    },
];

export const QUOTA_BY_CODE: ReadonlyMap<string, QuotaDef> = new Map(QUOTAS.map((q) => [q.code, q]));

/** Lambda keeps this many concurrent executions unreserved (PutFunctionConcurrency). */
export const LAMBDA_UNRESERVED_MINIMUM = 100;

/**
 * EC2 instance classes of the On-Demand vCPU quotas, by the letters that
 * start the family name (EC2 User Guide, "On-Demand Instance quotas").
 */
export const INSTANCE_CLASS_QUOTA: Readonly<Record<string, string>> = {
    a: "L-1216C47A",
    c: "L-1216C47A",
    d: "L-1216C47A",
    h: "L-1216C47A",
    i: "L-1216C47A",
    m: "L-1216C47A",
    r: "L-1216C47A",
    t: "L-1216C47A",
    z: "L-1216C47A",
    g: "L-DB2E81BA",
    vt: "L-DB2E81BA",
};

/**
 * vCPUs per instance type, from the Amazon EC2 "Instance type specifications"
 * pages (https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html for
 * general purpose, co.html compute optimized, mo.html memory optimized,
 * ac.html accelerated computing). In the families below every `large` has 2
 * vCPUs and every `<N>xlarge` 4×N (`xlarge` 4); the smaller sizes are listed
 * one by one. A type not in this table is reported as unknown, never guessed.
 */
const FAMILIES: { families: string[]; sizes: string[]; small?: Record<string, number> }[] = [
    // Burstable: every size below xlarge has 2 vCPUs (t3, t3a, t4g).
    { families: ["t3", "t3a", "t4g"], sizes: ["xlarge", "2xlarge"], small: { nano: 2, micro: 2, small: 2, medium: 2, large: 2 } },
    { families: ["t2"], sizes: ["xlarge", "2xlarge"], small: { nano: 1, micro: 1, small: 1, medium: 2, large: 2 } },
    // Graviton general purpose / compute / memory: medium is 1 vCPU.
    { families: ["m6g", "m7g", "c6g", "c7g", "r6g", "r7g"], sizes: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"], small: { medium: 1 } },
    { families: ["m5", "m6i", "m7i", "r5", "r6i", "r7i"], sizes: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"] },
    { families: ["c5"], sizes: ["large", "xlarge", "2xlarge", "4xlarge", "9xlarge", "12xlarge", "18xlarge", "24xlarge"] },
    { families: ["c6i", "c7i"], sizes: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"] },
    // Accelerated (G class): NVIDIA T4 / A10G / L4 / T4G.
    { families: ["g4dn"], sizes: ["xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"] },
    { families: ["g5", "g6"], sizes: ["xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge"] },
    { families: ["g5g"], sizes: ["xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge"] },
];

function sizeVcpus(size: string): number {
    if (size === "large") {
        return 2;
    }
    const n = size === "xlarge" ? 1 : Number(size.slice(0, -"xlarge".length));
    return 4 * n;
}

export const INSTANCE_VCPUS: Readonly<Record<string, number>> = (() => {
    const out: Record<string, number> = {};
    for (const f of FAMILIES) {
        for (const family of f.families) {
            for (const [size, v] of Object.entries(f.small ?? {})) {
                out[`${family}.${size}`] = v;
            }
            for (const size of f.sizes) {
                out[`${family}.${size}`] = sizeVcpus(size);
            }
        }
    }
    return out;
})();
