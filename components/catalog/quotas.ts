import { QUOTA_BY_CODE, QUOTAS } from "../../policies/facts/quota-data";
import { CatalogProblem } from "./errors";
import { didYouMean } from "./suggest";

/**
 * `platform.quotas` is keyed by AWS quota code; only the codes the policy
 * pack counts (policies/facts/quota-data.ts) mean anything. The values are
 * checked by the schema (whole, positive).
 */
export function checkQuotaCodes(rawPlatform: Record<string, unknown>, problems: CatalogProblem[]): void {
    const quotas = rawPlatform.quotas;
    if (quotas === undefined) {
        return;
    }
    if (typeof quotas !== "object" || quotas === null || Array.isArray(quotas)) {
        return; // the schema reports the shape
    }
    const codes = QUOTAS.map(q => q.code);
    for (const code of Object.keys(quotas)) {
        if (!QUOTA_BY_CODE.has(code)) {
            problems.push({
                path: `platform.quotas.${code}`,
                message:
                    `unknown quota code ${JSON.stringify(code)}${didYouMean(code, codes)}; the stack's quotas are ` +
                    QUOTAS.map(q => `${q.code} (${q.name})`).join(", "),
            });
        }
    }
}
