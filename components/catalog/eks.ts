/**
 * Catalog checks for the EKS runtime that the schema cannot express: one
 * node group runs one architecture, and a role is either a cluster admin or
 * a viewer (EKS keeps one access entry per principal). Plain functions, no Pulumi.
 */
import { checkArchitecture } from "./ecsEc2";
import type { CatalogProblem } from "./errors";

export function checkEksService(at: string, entry: Record<string, unknown>, problems: CatalogProblem[]): void {
    checkArchitecture(at, entry, "one managed node group runs one AMI type", problems);
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
