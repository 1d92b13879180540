import { ofType, resourceRule, subject } from "../../lib/rule";
import { asStrings, get, str } from "../../lib/values";

/** Lambda runtimes past their deprecation date (AWS Lambda runtime deprecation policy, as of 2026). */
export const DEPRECATED_RUNTIMES = [
    "nodejs", "nodejs4.3", "nodejs4.3-edge", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x", "nodejs18.x",
    "python2.7", "python3.6", "python3.7", "python3.8", "python3.9",
    "ruby2.5", "ruby2.7", "ruby3.2",
    "java8",
    "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet5.0", "dotnet6", "dotnet7",
    "go1.x", "provided",
];

export const lambdaSupportedRuntime = resourceRule({
    name: "lambda-supported-runtime",
    description: "Lambda functions use a runtime that is not deprecated.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps: "Move to a supported runtime (e.g. nodejs22.x, python3.13, java21, provided.al2023) or a container image.",
    configSchema: {
        properties: {
            deprecatedRuntimes: { type: "array", items: { type: "string" }, default: DEPRECATED_RUNTIMES, description: "Runtime identifiers treated as deprecated." },
        },
    },
    meta: {
        area: "compute",
        rationale: "Deprecated runtimes get no security patches and eventually cannot be updated.",
        equivalents: { cdkNag: ["AwsSolutions-L1"], checkov: ["CKV_AWS_363"] },
    },
    validateResource: ofType("aws:lambda/function:Function", (props, args, report) => {
        const runtime = str(get(props, "runtime"));
        if (!runtime) {
            return;
        }
        const deprecated = asStrings(args.getConfig<{ deprecatedRuntimes?: unknown }>().deprecatedRuntimes);
        if (deprecated.includes(runtime)) {
            report(`${subject(args)} runtime = ${JSON.stringify(runtime)} is deprecated. Fix: upgrade to a supported runtime of the same language.`);
        }
    }),
});
