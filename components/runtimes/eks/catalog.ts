/**
 * The catalog fields of an eks service and of `platform.eks`, and the
 * checks the schema cannot express: one node group runs one architecture,
 * and a role is either a cluster admin or a viewer (EKS keeps one access
 * entry per principal). Plain functions, no Pulumi.
 */
import { z } from "zod";
import { publicAccessProblem } from "../../catalog/cidr";
import type { CatalogProblem } from "../../catalog/errors";
import { checkCapacityBounds, cidrBlock, principal, requireInstanceTypes, SHARED_FIELDS } from "../../catalog/fields";
import { checkArchitecture } from "../instances";

export const EKS_FIELDS = {
    cpu: SHARED_FIELDS.cpu,
    memory: SHARED_FIELDS.memory,
    instanceTypes: SHARED_FIELDS.instanceTypes,
    capacity: SHARED_FIELDS.capacity,
};

export const eksPlatformSchema = z.strictObject({
    /** Kubernetes version of every EKS cluster. */
    version: z.string().regex(/^1\.\d{2}$/, { error: iss => `${JSON.stringify(iss.input)} is not a Kubernetes version such as "1.35"` }).default("1.35"),
    /** IAM roles given cluster-admin through access entries. */
    adminRoleArns: z.array(principal).default([]),
    /** IAM roles given read-only access through access entries. */
    viewRoleArns: z.array(principal).default([]),
    /**
     * CIDRs allowed to reach the public API endpoint (where Pulumi and CI
     * run). Empty: the public endpoint is off and only the VPC reaches it.
     */
    publicAccessCidrs: z
        .array(cidrBlock.refine(c => !/\/0$/.test(c), { error: "must not open the API to the whole internet (/0): list your CI's egress CIDRs" }))
        .max(40, { error: "EKS accepts at most 40 public access CIDRs" })
        .superRefine((cidrs, ctx) => {
            const problem = publicAccessProblem(cidrs);
            if (problem) ctx.addIssue({ code: "custom", message: `must not open the API to the whole internet: ${problem}` });
        })
        .default([]),
});

/** `platform.eks`: the settings every eks service's cluster shares. */
export const EKS_PLATFORM_FIELDS = {
    eks: eksPlatformSchema.default({ version: "1.35", adminRoleArns: [], viewRoleArns: [], publicAccessCidrs: [] }),
};

export function checkEksService(at: string, entry: Record<string, unknown>, problems: CatalogProblem[]): void {
    checkArchitecture(at, entry, "one managed node group runs one AMI type", problems);
    requireInstanceTypes(at, entry, "eks", problems);
    checkCapacityBounds(at, entry, problems);
}

export function checkEksPlatform(rawPlatform: Record<string, unknown>, problems: CatalogProblem[]): void {
    const eks = rawPlatform.eks;
    if (typeof eks !== "object" || eks === null) {
        return;
    }
    const { adminRoleArns, viewRoleArns } = eks as Record<string, unknown>;
    const admins = new Set(Array.isArray(adminRoleArns) ? adminRoleArns.filter(a => typeof a === "string") : []);
    if (!Array.isArray(viewRoleArns)) {
        return;
    }
    viewRoleArns.forEach((arn, j) => {
        if (typeof arn === "string" && admins.has(arn)) {
            problems.push({
                path: `platform.eks.viewRoleArns[${j}]`,
                message: `${arn} is also in adminRoleArns; a principal has one access entry: list it in one of the two`,
            });
        }
    });
}
