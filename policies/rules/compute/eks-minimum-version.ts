import { EKS_CLUSTER, EKS_COMPONENT, eksSettings } from "../../lib/eks";
import { ofTypes, resourceRule, subject } from "../../lib/rule";
import { str } from "../../lib/values";

function parse(v: string): [number, number] | undefined {
    const m = /^(\d+)\.(\d+)/.exec(v.trim());
    return m ? [Number(m[1]), Number(m[2])] : undefined;
}

export const eksMinimumVersion = resourceRule({
    name: "eks-minimum-version",
    description: "EKS clusters run at least the configured Kubernetes version (minimumVersion).",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps: "Upgrade the cluster's version one minor at a time to at least minimumVersion (unset means the latest, which passes).",
    configSchema: {
        properties: { minimumVersion: { type: "string", pattern: "^\\d+\\.\\d+$", default: "1.31", description: "Lowest acceptable Kubernetes minor version." } },
    },
    meta: {
        area: "compute",
        rationale: "Versions past standard support cost extended-support fees and stop getting fixes.",
        equivalents: { checkov: ["CKV_AWS_339"] },
    },
    validateResource: ofTypes([EKS_CLUSTER, EKS_COMPONENT], (props, args, report) => {
        const s = eksSettings(args.type, props);
        const v = str(s.version);
        const minRaw = str(args.getConfig<{ minimumVersion?: unknown }>().minimumVersion) ?? "1.31";
        const min = parse(minRaw);
        if (v === undefined || min === undefined) {
            return;
        }
        const have = parse(v);
        if (!have) {
            report(`${subject(args)} version = ${JSON.stringify(v)} is not a Kubernetes minor version. Fix: set version to e.g. "${minRaw}".`);
            return;
        }
        if (have[0] < min[0] || (have[0] === min[0] && have[1] < min[1])) {
            report(`${subject(args)} version = ${JSON.stringify(v)} is below minimumVersion ${minRaw}. Fix: upgrade to ${minRaw} or later.`);
        }
    }),
});
