import { APIGW } from "../../lib/apigateway";
import { ofType, resourceRule, subject } from "../../lib/rule";
import { bool, get, show } from "../../lib/values";

export const apigatewayCacheEncrypted = resourceRule({
    name: "apigateway-cache-encrypted",
    description: "API Gateway method settings that turn caching on also encrypt the cache (settings.cacheDataEncrypted: true).",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set settings.cacheDataEncrypted: true wherever settings.cachingEnabled is true.",
    meta: {
        area: "frontdoor",
        rationale:
            "Cached responses of the services are data at rest outside their VPCs; AWS Security Hub control APIGateway.5 (\"API Gateway REST API cache data should be encrypted at rest\"); API Gateway developer guide, \"Cache settings for REST APIs\".",
        equivalents: { checkov: ["CKV_AWS_308"] },
    },
    validateResource: ofType(APIGW.methodSettings, (props, args, report) => {
        const settings = get(props, "settings");
        if (bool(get(settings, "cachingEnabled")) !== true) {
            return;
        }
        const enc = get(settings, "cacheDataEncrypted");
        if (bool(enc) !== true) {
            report(`${subject(args)} settings.cachingEnabled = true with settings.cacheDataEncrypted = ${show(enc ?? false)}. Fix: set settings.cacheDataEncrypted: true.`);
        }
    }),
});
