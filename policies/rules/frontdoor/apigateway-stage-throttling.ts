import { PolicyResource } from "@pulumi/policy";
import { ALL_METHODS_PATH, APIGW, methodPath, methodSettingsOf, namesStage, setting, Undecided } from "../../lib/apigateway";
import { label, StackIndex, stackIndex } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { bool, num, peek, show, UNKNOWN } from "../../lib/values";

function positive(v: unknown): boolean {
    return typeof v === "number" && v > 0;
}

/**
 * Usage plans that throttle this stage with positive limits. A usage plan
 * throttles per API key, so it counts only when every method of the stage's
 * REST API requires a key (API Gateway developer guide, "Usage plans and API
 * keys for REST APIs": throttling and quota limits apply to requests for
 * individual API keys).
 */
function usagePlanThrottles(idx: StackIndex, stage: PolicyResource): boolean {
    const apis = (stage.propertyDependencies?.restApi ?? []).filter((d): d is PolicyResource => !!d);
    const methods = idx.ofType(APIGW.method).filter((m) => (m.propertyDependencies?.restApi ?? []).some((d) => apis.some((a) => a.urn === d?.urn)));
    if (methods.length === 0 || !methods.every((m) => bool(peek(m.props, "apiKeyRequired")) === true)) {
        return false;
    }
    return idx.ofType(APIGW.usagePlan).some((plan) => {
        const stages = peek(plan.props, "apiStages");
        if (!Array.isArray(stages)) return false;
        const planApis = (plan.propertyDependencies?.apiStages ?? []).filter((d): d is PolicyResource => !!d);
        const names = stages.some((_, i) => namesStage(plan, "apiStages", "apiStages", stage, peek(stages, i, "stage"), planApis));
        return names && positive(num(peek(plan.props, "throttleSettings", "rateLimit"))) && positive(num(peek(plan.props, "throttleSettings", "burstLimit")));
    });
}

export const apigatewayStageThrottling = stackRule({
    name: "apigateway-stage-throttling",
    description:
        'Every API Gateway stage is throttled: a MethodSettings for methodPath "*/*" of the stage with throttlingRateLimit and throttlingBurstLimit > 0 (per-route settings may lower them), or a usage plan with positive limits when every method requires an API key.',
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        'Create new aws.apigateway.MethodSettings("<stage>-all", { restApi, stageName: stage.stageName, methodPath: "*/*", settings: { throttlingRateLimit: <rps>, throttlingBurstLimit: <burst>, metricsEnabled: true, loggingLevel: "ERROR" } }) from the platform\'s default throttling.',
    meta: {
        area: "frontdoor",
        rationale:
            "Without stage throttling every client shares the account-level limit (10,000 rps per Region) with every other API, so one client can starve the services behind the front door (API Gateway developer guide, \"Throttle requests to your REST APIs for better throughput in API Gateway\"). " +
            "Usage-plan limits apply only to requests carrying that plan's API key.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        const undecided = new Undecided();
        for (const stage of idx.ofType(APIGW.stage)) {
            const all = methodSettingsOf(idx, stage).filter((ms) => methodPath(ms) === ALL_METHODS_PATH);
            const throttled = all.some((ms) => positive(setting(ms, "throttlingRateLimit")) && positive(setting(ms, "throttlingBurstLimit")));
            if (throttled || usagePlanThrottles(idx, stage)) {
                continue;
            }
            const unknown = all.flatMap((ms) => ["throttlingRateLimit", "throttlingBurstLimit"].filter((k) => setting(ms, k) === UNKNOWN).map((k) => ({ ms, k })));
            if (unknown.length > 0) {
                undecided.note(unknown[0].ms, "settings", unknown[0].k);
                continue;
            }
            const seen = all.map((ms) => `${ms.name}: rate ${show(setting(ms, "throttlingRateLimit") ?? null)}, burst ${show(setting(ms, "throttlingBurstLimit") ?? null)}`);
            report(
                `${label(stage)} is not throttled: ${seen.length > 0 ? seen.join("; ") : 'no aws:apigateway/methodSettings:MethodSettings with methodPath "*/*" names this stage'}. ` +
                    'Fix: add MethodSettings for methodPath "*/*" with throttlingRateLimit and throttlingBurstLimit > 0.',
                stage.urn,
            );
        }
        undecided.settle();
    },
});
