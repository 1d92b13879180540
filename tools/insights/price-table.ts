/**
 * The dated price table (prices.json) as typed data (this module is not
 * named prices.ts: Node would resolve "./prices" to the JSON file first). The table is the only
 * place prices live: the estimator (cost.ts) reads unit prices from here by
 * key, and docs/cost.md says how to update it.
 */
import table from "./prices.json";

/** One list price in one region, with where it comes from and what could be checked when dated. */
export interface PriceEntry {
    price: number;
    unit: string;
    what: string;
    /** The AWS pricing page and the region's Price List API offer file and usage type. */
    source: string;
    /** What was verified when the table was dated (or that it could not be). */
    checked: string;
}

export interface EksVersionDates {
    endOfStandardSupport: string;
    endOfExtendedSupport: string;
}

export interface PriceAssumptions {
    /** Capacity units each load balancer is assumed to consume every hour (NLCU for an NLB, LCU for an ALB). */
    lcuPerLoadBalancer: number;
    /** GB ingested per month into each log group. */
    logGbPerLogGroupMonth: number;
    /** Months of logs kept in a log group with no retention (never expire). */
    logStorageMonthsWhenNeverExpire: number;
    /** GB each store (DynamoDB table, S3 bucket) holds. */
    storeGbPerStore: number;
}

export interface PriceTable {
    date: string;
    currency: "USD";
    hoursPerMonth: number;
    assumptions: PriceAssumptions;
    eksVersions: { source: string; calendar: Record<string, EksVersionDates> };
    regions: Record<string, Record<string, PriceEntry>>;
}

/** The shipped table. */
export const PRICES: PriceTable = table as PriceTable;

/** The keys every region of a table must price (the estimator's fixed vocabulary). */
export const PRICE_KEYS = [
    "nlb-hour",
    "nlcu-hour",
    "alb-hour",
    "lcu-hour",
    "interface-endpoint-az-hour",
    "nat-gateway-hour",
    "public-ipv4-hour",
    "eks-cluster-hour-standard",
    "eks-cluster-hour-extended",
    "fargate-vcpu-hour",
    "fargate-gb-hour",
    "ebs-gp3-gb-month",
    "kms-key-month",
    "logs-ingest-gb",
    "logs-vended-ingest-gb",
    "logs-storage-gb-month",
    "waf-web-acl-month",
    "waf-rule-month",
    "lambda-idle-month",
    "dynamodb-storage-gb-month",
    "dynamodb-pitr-gb-month",
    "s3-standard-gb-month",
] as const;
export type PriceKey = (typeof PRICE_KEYS)[number] | `ec2:${string}` | `apigw-cache-hour:${string}`;

/** Raised when the table has no price for what the plan holds: names the region, the key and the fix. */
export class MissingPriceError extends Error {
    constructor(
        readonly region: string,
        readonly key: string,
        known: string[],
    ) {
        super(
            known.length === 0
                ? `no prices for region '${region}' (the table has ${Object.keys(PRICES.regions).join(", ")}). Fix: add a "${region}" block to tools/insights/prices.json (docs/cost.md)`
                : `no price '${key}' for region '${region}'. Fix: add it to tools/insights/prices.json → regions.${region} with its source (docs/cost.md)`,
        );
        this.name = "MissingPriceError";
    }
}

/** The regions block of a table, or a MissingPriceError naming the regions it has. */
export function regionPrices(region: string, prices: PriceTable = PRICES): Record<string, PriceEntry> {
    const r = prices.regions[region];
    if (!r) throw new MissingPriceError(region, "", []);
    return r;
}

/** One entry, or a MissingPriceError. */
export function priceOf(region: string, key: PriceKey, prices: PriceTable = PRICES): PriceEntry {
    const r = regionPrices(region, prices);
    const e = r[key];
    if (!e) throw new MissingPriceError(region, key, Object.keys(r));
    return e;
}

/**
 * Whether a Kubernetes minor version is billed at the extended-support rate
 * on `date` (YYYY-MM-DD): from the start of its end-of-standard-support day
 * (UTC), as the EKS release calendar states. Unknown versions: undefined.
 */
export function eksSupportOn(version: string, date: string, prices: PriceTable = PRICES): "standard" | "extended" | undefined {
    const v = prices.eksVersions.calendar[version];
    if (!v) return undefined;
    return date >= v.endOfStandardSupport ? "extended" : "standard";
}
