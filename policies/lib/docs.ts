import { PolicyConfigSchema } from "@pulumi/policy";
import { ANCHOR_MAP, OUT_OF_SCOPE } from "./anchors";
import { promises } from "./promises";
import { isStackRule, PackPolicy } from "./rule";

/**
 * Renders docs/policies.md from the rules' own metadata, so the document
 * cannot drift from the pack (a test compares the file with this output;
 * `npm run -w policies docs` rewrites it).
 */

const AREAS: Record<string, string> = {
    network: "Network isolation",
    privatelink: "PrivateLink provider and consumer side",
    compute: "Compute: load balancers, ECS, EKS, Lambda, EC2",
    iam: "IAM",
    registry: "Container registry",
    topology: "Topology (stack-wide)",
    deployability: "Deployability: what AWS refuses or quotas stop at `up`",
    reachability: "Reachability: does traffic flow in the plan (docs/reachability.md)",
    frontdoor: "API front door: the one internet-facing component (API Gateway REST API, stage, WAF)",
};

function ids(list: string[] | undefined): string {
    return list && list.length > 0 ? list.map((x) => `\`${x}\``).join(", ") : "—";
}

function configLines(schema: PolicyConfigSchema | undefined): string[] {
    const out: string[] = [];
    for (const [k, s] of Object.entries(schema?.properties ?? {})) {
        if (k === "exemptions" || typeof s !== "object") {
            continue;
        }
        const def = "default" in s && s.default !== undefined ? ` Default: \`${JSON.stringify(s.default)}\`.` : "";
        out.push(`- \`${k}\` (${String(s.type ?? "any")}): ${s.description ?? ""}${def}`);
    }
    return out;
}

export function renderPolicyDocs(rules: PackPolicy[]): string {
    const L: string[] = [];
    const p = (...lines: string[]) => L.push(...lines);
    p(
        "# Policy pack: privatelink-platform",
        "",
        "<!-- Generated from the rules' metadata by policies/scripts/gen-docs.ts; edit the rules, not this file. -->",
        "",
        "The pack in `policies/` enforces the platform's design: one isolated VPC per microservice (private subnets, no internet gateway, no NAT),",
        "services connected only through AWS PrivateLink (internal NLB + endpoint service with acceptance, declared principals and connection",
        "notifications on the provider side; one interface endpoint per declared `consumes` edge on the consumer side), and least-privilege IAM.",
        "Besides resource checks that mirror cdk-nag, checkov and Pulumi compliance-policies, it checks the topology itself, which none of them does.",
        "",
        `It has ${rules.length} rules: ${rules.filter((r) => !isStackRule(r)).length} resource rules and ${rules.filter(isStackRule).length} stack rules.`,
        "",
        "## Running it",
        "",
        "With the Pulumi CLI (the pack is a Node policy pack; `npm ci` at the repository root installs it):",
        "",
        "```sh",
        "pulumi preview --policy-pack policies --policy-pack-config policies/config/<stack>.json",
        "pulumi up      --policy-pack policies --policy-pack-config policies/config/<stack>.json",
        "```",
        "",
        "Offline (no CLI, no AWS): `npm run plan -- --stack dev --mode preview|up --json` runs the program under mocks and evaluates the pack",
        "through `policies/evaluate.ts`, which reproduces what the engine and `@pulumi/policy`'s analyzer do (same wrapped policy objects, same",
        "unknown-value proxy, same enforcement-level resolution; a differential test runs both and compares). From code:",
        "",
        "```ts",
        'import { evaluate } from "./policies/evaluate";',
        'const violations = await evaluate(records, { mode: "preview", config: require("./policies/config/dev.json") });',
        "// [{ policy, enforcementLevel, urn /* null for stack-wide */, message, severity, exemption?, unknown? }]",
        "```",
        "",
        "`records` are the offline preview's resource records (`urn, type, name, parent, custom, inputs, outputs, dependencies,",
        "propertyDependencies, options`); `\"<unknown>\"` marks a value unknown during preview. Secret values are judged in plaintext, as the",
        "engine hands them to analyzers: `runPreview` evaluates records with secrets revealed and masks them (`\"[secret]\"`) in the records,",
        "outputs and violation messages it returns or prints; a record that holds only `\"[secret]\"` is judged as unknown. Resource rules see `inputs`; stack rules see every",
        "resource with parent, dependencies and property dependencies resolved (in `up` mode outputs over inputs, in `preview` inputs over outputs).",
        "When `config` holds no policy key (for example a program's stack config), `policies/config/<stack>.json` is used, the stack taken from the URNs.",
        "",
        "## Enforcement, configuration and exemptions",
        "",
        "Isolation and IAM rules are `mandatory` by default, hygiene rules `advisory`. The per-stack files `policies/config/dev.json` and",
        "`policies/config/prod.json` are `--policy-pack-config` files:",
        "",
        "```json",
        "{",
        '  "all": "advisory",',
        '  "load-balancer-deletion-protection": "disabled",',
        '  "eks-minimum-version": { "enforcementLevel": "mandatory", "minimumVersion": "1.31" }',
        "}",
        "```",
        "",
        "A policy's own entry beats `all`, which beats the policy's default. `remediate` reports as `mandatory` (no rule remediates); `disabled`",
        "skips the rule. Configuration properties not given take the defaults of the rule's config schema.",
        "",
        "**Exemptions** live in the policy's own entry under the shared key `exemptions` (the engine gives a policy only its own config):",
        "",
        "```json",
        '"no-internet-or-cross-vpc-gateways": {',
        '  "exemptions": [{',
        '    "resource": "urn:pulumi:prod::privatelink-platform::*aws:ec2/internetGateway:InternetGateway::migration-*",',
        '    "reason": "legacy VPC being migrated onto PrivateLink; reviewed in SEC-142",',
        '    "expires": "2027-03-31"',
        "  }]",
        "}",
        "```",
        "",
        "`resource` is a glob over the URN (`*` any run of characters, `?` one); `reason` must have at least 10 characters; `expires` is an ISO date",
        "(valid through that day, UTC) or date-time; an optional `policy` must name the policy it sits under. A valid exemption turns a matching",
        "violation into an advisory diagnostic that names the exemption and its reason (`exemption` is set in `evaluate`'s output). An expired,",
        "reasonless or malformed exemption exempts nothing and is itself reported at the policy's level: for resource rules on every resource it",
        "matches and once on the stack (even when it matches nothing yet), for stack rules once. Stack-wide findings have no URN.",
        "",
        "**Config cannot switch the pack off.** An exemption must name resources narrower than \"everything\": its pattern fixes a resource type",
        "(the `::` segment before the name ends in a type token without wildcards) or a name (at least 3 literal characters after the last `::`);",
        "`*`, `urn:*`, `urn:pulumi:dev::*` or `urn:*::*` are refused. `expires` must lie within 180 days of the evaluation (renewing it is a review);",
        "`2099-12-31` is refused. The same holds for allowances: a `no-internet-or-cross-vpc-gateways` `allowedResources` entry that matches every",
        "resource, a `resource-type-allowed` `allowedTypes` entry with a wildcard type, and an `interface-endpoint-declared` extra with a wildcard",
        "consumer allow nothing and are reported.",
        "",
        "### The front door",
        "",
        "The API front door (`privatelink:edge:FrontDoor`, issue 10) is the one internet-facing component, and it needs no exemption: its rules",
        "are the `frontdoor` area below. Its edge VPC is built like every service VPC (no internet gateway, no NAT, flow logs) and is judged by the",
        "same network rules; it reaches services only as a PrivateLink consumer of the services the catalog exposes. API Gateway is the managed",
        "edge: `frontdoor-only-internet-facing` admits the front door's REST API, stage and custom domain and nothing else, inside or outside it.",
        "Public routes are catalog data, not exemptions: a route with `auth: none` and a `reason` in a service's `expose` block is honoured by",
        "`apigateway-method-authorized` through the method's contract name (`frontDoorMethodName(service, path, method)`, `policies/lib/front-door.ts`)",
        "and listed in an advisory finding on every plan. CORS preflight (`OPTIONS`) methods may stay open only with a `MOCK` integration, which",
        "answers in API Gateway and never reaches a service (browsers send preflights without credentials).",
        "",
        "## Threat model and default-deny",
        "",
        "**What the pack assumes.** The people who edit the program and the stack's configuration are colleagues in a hurry, not insiders",
        "with the deploy role: they may add any Pulumi resource to `index.ts` or a component, paste literals, wrap values in `pulumi.secret()`,",
        "and add config to the policy-pack file; they do not change the pack itself or CI's `--policy-pack` / `--policy-pack-config` arguments",
        "(review of `policies/` is the control for that). The catalog in the stack's configuration is the reviewed intent: edges (`consumes`),",
        "foreign principals (`allowedPrincipals`), runtimes. The engine hands the pack the stack's configuration (PULUMI_CONFIG) and secret",
        "values in plaintext, so rules read the catalog and judge secrets in the first preview. Parents are declared by the program: a",
        "resource parented to a platform component is judged as that component's child, so every allowed type still has rules that check what",
        "it exposes. Out of scope: what AWS does beyond the stack (SCPs, other stacks, console changes), and whether AWS accepts the graph.",
        "",
        "**Default-deny.** `resource-type-allowed` knows every resource type the platform creates and where (`policies/lib/allowed-types.ts`, each",
        "runtime's own types from its declaration in `policies/facts/runtimes/`):",
        "any other type, or a known type under a component that does not own it (an extra `RestApi`, a load balancer at the root), is a",
        "mandatory violation naming the type. The list is checked against the program (`test/platform/allowed-types.test.ts` plans the shipped",
        "stacks and a catalog with every runtime and asserts the types equal the list) and holds the children the real engine shows for remote",
        "components (`eks:index:Cluster`, `awsx:ecr:Image`), derived from pulumi-eks v4.3.0 and pulumi-awsx sources with path and line cited.",
        "Interface endpoints are default-deny too: `interface-endpoint-declared` admits only the AWS services a runtime needs (the components'",
        "list), endpoint services of providers the catalog declares (by dependency or by value) and configured extras with consumers and a reason;",
        "`endpoint-service-principals-match-catalog` admits exactly the catalog's principals.",
        "",
        "### Promises kept by meaning",
        "",
        "A rule judges what a value means (whose account, where data goes), not a resource's name or type token. Each promise, the rules that keep it,",
        "what they read, and what is still out of reach:",
        "",
    );
    for (const pr of promises()) {
        p(`- **${pr.promise}**`, `  - Rules: ${pr.rules.map((r) => `\`${r}\``).join(", ")}.`, `  - Reads: ${pr.reads}`, `  - Out of reach: ${pr.outOfReach}`);
    }
    p(
        "",
        "### Adding a resource type",
        "",
        "A new type fails CI until it is added properly. To add one:",
        "",
        "1. Create it inside the component that owns the concept (a front door's `RestApi` in its own `FrontDoor` component), never at the root.",
        "2. Decide what it means for isolation: can it be reached from the internet (public endpoint, public IP, internet-facing listener)?",
        "   Does it join two VPCs or a VPC to another network (attachments, associations, ENIs in another subnet, service networks)? Does it share",
        "   anything with another account (RAM shares, resource policies, principals)? Does it carry an IAM or resource policy?",
        "3. Make sure a rule checks each of those answers (add one per file under `policies/rules/<area>/` with compliant and non-compliant",
        "   cases), and add a red-team case (`test/redteam/`) for the evasion it enables.",
        "4. Add the entry with the owning component and the isolation text naming those rules: a runtime component's type to `types` in its",
        "   declaration (`policies/facts/runtimes/<runtime>.ts`), any other to `OTHER_TYPES` in `policies/lib/allowed-types.ts` with `under`; if it",
        "   is a remote component, derive its children from the package's source at the pinned version into the runtime's `remoteChildren` or",
        "   `REMOTE_COMPONENT_CHILDREN` (cite path and line).",
        "5. Until then, one stack may allow it in `resource-type-allowed.allowedTypes` with `type`, `under`, `reason` and an `expires` within 180 days.",
        "",
        "## The contract with the program",
        "",
        "- Every taggable resource created for microservice X carries `privatelink:service = X`; a VPC's tag names the microservice that owns it.",
        "- A consumer's interface endpoint to another service carries `privatelink:endpoint-kind = mesh`, `privatelink:consumer`, `privatelink:provider`",
        "  and `privatelink:edge = <consumer>-><provider>`; its `serviceName` depends on the provider's `aws:ec2/vpcEndpointService` and its `vpcId` on the",
        "  consumer's VPC. AWS-service endpoints carry `privatelink:endpoint-kind = aws-service` and `serviceName` `com.amazonaws.<region>.<svc>`.",
        "- Placement is followed through property dependencies (subnets → `vpcId` → VPC), never IDs, so topology rules decide during preview.",
        "- `declared-edges-only` may be given `declaredEdges: [\"a->b\", ...]`; then every mesh endpoint's edge must be in it.",
        "",
        "## Rules",
        "",
        "| rule | area | kind | default | severity | cdk-nag | checkov | compliance-policies |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    );
    for (const r of rules) {
        p(
            `| [\`${r.name}\`](#${r.name}) | ${r.meta.area} | ${isStackRule(r) ? "stack" : "resource"} | ${r.enforcementLevel} | ${r.severity} | ${ids(r.meta.equivalents.cdkNag)} | ${ids(r.meta.equivalents.checkov)} | ${ids(r.meta.equivalents.compliancePolicies)} |`,
        );
    }
    p(
        "",
        "## Rules that can only decide after `up`",
        "",
        "During preview, values computed by the provider (IDs, ARNs, JSON built from outputs) are unknown. A rule that reads one gets the engine's",
        "advisory `can't run policy '<name>' ... during preview: <type> value at .<path> can't be known during preview` instead of a verdict; the",
        "verdict comes at `pulumi up` (the engine runs the pack again with real values). Topology rules follow URNs and decide in preview. Rules that",
        "typically need `up` here:",
        "",
    );
    for (const r of rules.filter((x) => x.meta.afterUp)) {
        p(`- \`${r.name}\`: ${r.meta.afterUp}`);
    }
    p("");
    for (const [area, title] of Object.entries(AREAS)) {
        const inArea = rules.filter((r) => r.meta.area === area);
        if (inArea.length === 0) {
            continue;
        }
        p(`## ${title}`, "");
        for (const r of inArea) {
            const cfg = configLines(r.configSchema);
            p(
                `### ${r.name}`,
                "",
                `${r.description}`,
                "",
                `- Why: ${r.meta.rationale}`,
                `- Kind: ${isStackRule(r) ? "stack rule (sees every resource and the dependency graph)" : "resource rule"}; default \`${r.enforcementLevel}\`; severity ${r.severity}.`,
                `- Equivalents: cdk-nag ${ids(r.meta.equivalents.cdkNag)}; checkov ${ids(r.meta.equivalents.checkov)}; compliance-policies ${ids(r.meta.equivalents.compliancePolicies)}.`,
                `- Fix: ${r.remediationSteps}`,
                ...(r.meta.afterUp ? [`- Decides after \`up\` when: ${r.meta.afterUp}`] : []),
                ...(cfg.length > 0 ? ["- Config:", ...cfg.map((c) => `  ${c}`)] : []),
                `- Exempt: \`"${r.name}": { "exemptions": [{ "resource": "<URN glob>", "reason": "<why, 10+ chars>", "expires": "<YYYY-MM-DD>" }] }\``,
                "",
            );
        }
    }
    p(
        "## Measured against peer rule sets",
        "",
        "`policies/test/anchors.test.ts` runs the 109 spec cases of Pulumi compliance-policies (shared anchors data): the 35 cases whose policy",
        "maps to a rule of this pack (security-group public ingress, ECR scan/immutability/KMS, EKS public endpoint and secrets encryption, Lambda",
        "permission source ARN, load-balancer access logs, EC2/launch-template public IPs) must get the same verdict, and every other case is listed",
        "there as out of scope with its reason (listener TLS, API Gateway, EBS encryption, descriptions, KMS key hygiene, Lambda tracing). The",
        "checkov ids above are checked against checkov's id lists by `policies/test/metadata.test.ts`.",
        "",
        "| compliance-policies policy | our rule |",
        "| --- | --- |",
        ...Object.entries(ANCHOR_MAP).map(([theirs, ours]) => `| \`${theirs}\` | [\`${ours}\`](#${ours}) |`),
        "",
        "Out of scope, and why:",
        "",
        ...Object.entries(OUT_OF_SCOPE).map(([theirs, why]) => `- \`${theirs}\`: ${why}`),
        "",
    );
    return L.join("\n");
}
