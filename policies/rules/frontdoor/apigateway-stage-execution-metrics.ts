import { ALL_METHODS_PATH, APIGW, methodPath, methodSettingsOf, setting, Undecided } from "../../lib/apigateway";
import { label, stackIndex } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { show, UNKNOWN } from "../../lib/values";

export const apigatewayStageExecutionMetrics = stackRule({
    name: "apigateway-stage-execution-metrics",
    description:
        'Every API Gateway stage publishes execution metrics and execution logs for all methods: a MethodSettings for methodPath "*/*" with metricsEnabled: true and loggingLevel ERROR or INFO.',
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps:
        'In the stage\'s "*/*" MethodSettings set settings.metricsEnabled: true and settings.loggingLevel: "ERROR" (or "INFO"); keep dataTraceEnabled off. The Region needs API Gateway\'s CloudWatch role (aws.apigateway.Account).',
    meta: {
        area: "frontdoor",
        rationale:
            "Per-method CloudWatch metrics (4XX, 5XX, latency) and execution logs show an attack or a failing route behind the front door (API Gateway developer guide, \"Amazon API Gateway dimensions and metrics\" and \"Set up CloudWatch logging for REST APIs\"; AWS Security Hub control APIGateway.1: execution logging at ERROR or INFO).",
        equivalents: { cdkNag: ["AwsSolutions-APIG6"] },
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        const undecided = new Undecided();
        for (const stage of idx.ofType(APIGW.stage)) {
            const all = methodSettingsOf(idx, stage).filter((ms) => methodPath(ms) === ALL_METHODS_PATH);
            const ok = all.some((ms) => setting(ms, "metricsEnabled") === true && ["ERROR", "INFO"].includes(String(setting(ms, "loggingLevel"))));
            if (ok) {
                continue;
            }
            const unknown = all.flatMap((ms) => ["metricsEnabled", "loggingLevel"].filter((k) => setting(ms, k) === UNKNOWN).map((k) => ({ ms, k })));
            if (unknown.length > 0) {
                undecided.note(unknown[0].ms, "settings", unknown[0].k);
                continue;
            }
            const seen = all.map((ms) => `${ms.name}: metricsEnabled ${show(setting(ms, "metricsEnabled") ?? false)}, loggingLevel ${show(setting(ms, "loggingLevel") ?? "OFF")}`);
            report(
                `${label(stage)} has no execution metrics and logs for all methods: ${seen.length > 0 ? seen.join("; ") : 'no MethodSettings with methodPath "*/*" names this stage'}. ` +
                    'Fix: set settings.metricsEnabled: true and settings.loggingLevel: "ERROR" in the stage\'s "*/*" MethodSettings.',
                stage.urn,
            );
        }
        undecided.settle();
    },
});
