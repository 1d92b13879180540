import { configValue } from "../../lib/stack-config";
import { planGraph } from "../../lib/plan/graph";
import { countQuotaNeeds, declaredFrom, quotaRows, unknownQuotaInputs } from "../../lib/quotas";
import { reportAdvisory, stackRule } from "../../lib/rule";
import { str } from "../../lib/values";

/**
 * What the stack needs of each AWS service quota (policies/facts/quota-data.ts)
 * against the AWS default, or against the value the stack declares in
 * `platform.quotas` once it was raised. An excess fails here, before `up`,
 * instead of at the 6th CreateVpc or a task that never starts.
 */
export const quotasWithinLimits = stackRule({
    name: "quotas-within-limits",
    description:
        "What the stack needs of each AWS service quota (VPCs, endpoints, load balancers, target groups, EKS clusters, security groups, Fargate and EC2 vCPUs, Lambda concurrency) fits the AWS default or the value declared in platform.quotas.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Raise the quota before `pulumi up` (`aws service-quotas request-service-quota-increase --service-code <service> --quota-code <code> --desired-value <need> --region <region>`), " +
        "wait until `aws service-quotas get-service-quota` shows the value, then declare it in the stack file: privatelink-platform:platform → quotas: { <code>: <value> }. " +
        "Declared values are trusted: nothing offline can verify them.",
    meta: {
        area: "deployability",
        rationale:
            "A fresh account has low defaults: VPCs per Region 5 with the default VPC counting (Amazon VPC quotas, https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html), gateway endpoints per Region 20, " +
            "Running On-Demand G and VT instances often 0 vCPUs and Standard 5 (Amazon EC2 On-Demand Instance quotas), Fargate On-Demand vCPUs 6 (Amazon ECS service quotas), Lambda concurrency reduced in new accounts with 100 executions that must stay unreserved (Lambda quotas; PutFunctionConcurrency), " +
            "NLBs/ALBs per Region 50 and target groups 3,000 (Elastic Load Balancing quotas), EKS clusters 100 (Amazon EKS service quotas). Exceeding one fails `pulumi up` midway (VpcLimitExceeded) or leaves tasks and instances that never start. " +
            "Codes, defaults and sources: policies/facts/quota-data.ts and docs/deployability.md.",
        equivalents: {},
        afterUp: "A count that depends on a value computed during preview (an instance type, a task size or count) is decided in `up`.",
    },
    validateStack: (args, report) => {
        const declared = declaredFrom(configValue("platform"));
        const region = str(configValue("region", "aws")) ?? "<region>";
        const needs = countQuotaNeeds(planGraph(args.resources), { defaultVpcDeleted: declared.defaultVpcDeleted });
        const rows = quotaRows(needs, declared, region);
        for (const row of rows) {
            for (const u of row.uncounted) {
                reportAdvisory(report, quotasWithinLimits.description, `${row.name} (${row.code}) cannot count ${u}.`);
            }
            if (row.ok) {
                continue;
            }
            const where = row.where ? ` (in ${row.where})` : "";
            const min = row.min !== undefined ? ` (${row.min} at the scaling minimum)` : "";
            const limit =
                row.declared === undefined
                    ? row.need <= row.default
                        ? `the AWS default is ${row.default}, but new accounts get less and AWS states no number, and platform.quotas declares no value for it`
                        : `the AWS default is ${row.default}, and platform.quotas declares no value for it`
                    : `platform.quotas declares ${row.declared} (AWS default ${row.default})`;
            report(
                `${row.name} (${row.serviceCode} ${row.code}, per ${row.scope === "region" ? "Region" : row.scope === "vpc" ? "VPC" : "network interface"}): ` +
                    `the stack needs ${row.need} ${row.unit}${where}${min} in ${region}: ${row.detail}; ${limit}. ` +
                    `Fix: raise it before \`pulumi up\`: ${row.raise}; once \`aws service-quotas get-service-quota --service-code ${row.serviceCode} --quota-code ${row.code} --region ${region}\` shows it, ` +
                    `declare it in the stack file under privatelink-platform:platform → quotas: { ${row.code}: ${Math.ceil(row.need)} } (a declared value is trusted; it cannot be verified offline).`,
            );
        }
        const open = unknownQuotaInputs(rows);
        if (open) {
            // Values unknown until `up` could still push a quota over its limit: the engine's preview advisory.
            throw open;
        }
    },
});
