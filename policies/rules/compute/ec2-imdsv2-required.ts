import { ofTypes, resourceRule, subject } from "../../lib/rule";
import { get, num, show } from "../../lib/values";

export const ec2Imdsv2Required = resourceRule({
    name: "ec2-imdsv2-required",
    description: "EC2 instances and launch templates (ECS-on-EC2 and EKS hosts) require IMDSv2 tokens and keep the metadata hop limit low.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: 'Set metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 } (2 where containers on bridge networking must reach it).',
    configSchema: {
        properties: {
            maxHopLimit: { type: "integer", minimum: 1, maximum: 64, default: 2, description: "Highest acceptable httpPutResponseHopLimit." },
        },
    },
    meta: {
        area: "compute",
        rationale: "IMDSv1 hands the host role's credentials to any SSRF; a high hop limit hands them to every container on the host.",
        equivalents: { cdkNag: ["NIST.800.53.R5-EC2IMDSv2Enabled"], checkov: ["CKV_AWS_79", "CKV_AWS_341"] },
    },
    validateResource: ofTypes(["aws:ec2/launchTemplate:LaunchTemplate", "aws:ec2/instance:Instance"], (props, args, report) => {
        const md = get(props, "metadataOptions");
        if (get(md, "httpEndpoint") === "disabled") {
            return;
        }
        const tokens = get(md, "httpTokens");
        if (tokens !== "required") {
            report(`${subject(args)} metadataOptions.httpTokens = ${show(tokens ?? "(default optional)")} allows IMDSv1. Fix: set httpTokens: "required".`);
        }
        const max = num(args.getConfig<{ maxHopLimit?: unknown }>().maxHopLimit) ?? 2;
        const hops = num(get(md, "httpPutResponseHopLimit"));
        if (hops !== undefined && hops > max) {
            report(`${subject(args)} metadataOptions.httpPutResponseHopLimit = ${hops} exceeds ${max}. Fix: lower it to ${max} or less.`);
        }
    }),
});
