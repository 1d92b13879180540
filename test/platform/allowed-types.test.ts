import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    allowList,
    ancestorTypes,
    AWSX_IMAGE_COMPONENT,
    EKS_CLUSTER_COMPONENT,
    ENGINE_ONLY_TYPES,
    placedAllowed,
    PLATFORM_TYPES,
    REMOTE_COMPONENT_CHILDREN,
} from "../../policies/lib/allowed-types";
import { evaluate, ResourceRecord } from "../../policies/evaluate";
import { policies } from "../../policies/rules";
import { inDays } from "../../policies/test/helpers";
import { createdStacks, plan, PROJECT, ROOT, stackConfig } from "../helpers";
import { everyRuntimeCatalog } from "./every-runtime-catalog";
import { runPreview } from "../../tools/preview";

const RULE = "resource-type-allowed";

describe("default-deny: the allow-list of resource types", function () {
    this.timeout(180_000);
    let planned: ResourceRecord[] = [];

    before(async () => {
        for (const [config, stack] of [[stackConfig("dev"), "dev"], [stackConfig("prod"), "prod"], [everyRuntimeCatalog(), "dev"]] as const) {
            const r = await plan(config, "up", stack);
            assert.deepStrictEqual(r.errors ?? [], []);
            planned = planned.concat(r.resources);
        }
        // A shard stack whose consumer shard has deployed: stack references, and the accepter of a cross-shard edge.
        const shard = await runPreview({
            projectDir: ROOT, stack: "dev.payments", mode: "up", stackConfig: stackConfig("dev.payments"),
            stackOutputs: createdStacks(stackConfig("dev.payments"), { "dev.storefront": { endpoints: { "web->accounts": "vpce-0f00d0000000000a1" } } }),
        });
        assert.deepStrictEqual(shard.errors ?? [], []);
        planned = planned.concat(shard.resources);
    });

    it("equals the set of types the components declare (a new type fails here until the list says what it means)", () => {
        const declared = new Set(planned.map((r) => r.type));
        const listed = new Set(PLATFORM_TYPES.map((e) => e.type));
        assert.deepStrictEqual([...declared].filter((t) => !listed.has(t)).sort(), [], "types the program creates that the allow-list lacks");
        assert.deepStrictEqual([...listed].filter((t) => !declared.has(t)).sort(), [], "allow-list types no component creates any more");
        assert.strictEqual(PLATFORM_TYPES.length, listed.size, "one entry per type");
    });

    it("places every resource the program creates under a component the list names, and only there", () => {
        const base = new Map(PLATFORM_TYPES.map((e) => [e.type, e]));
        const misplaced = planned.filter((r) => !placedAllowed(base.get(r.type)!, ancestorTypes(r.urn)));
        assert.deepStrictEqual(misplaced.map((r) => r.urn), []);
        // Each `under` is used: a stale owner would allow the type where nothing puts it.
        for (const e of PLATFORM_TYPES) {
            for (const owner of e.under) {
                const used = planned.some((r) => r.type === e.type && (ancestorTypes(r.urn).pop() ?? "<root>") === owner);
                assert.ok(used, `${e.type} is allowed under ${owner}, where the program never creates one`);
            }
        }
    });

    it("covers the children the real engine shows for remote components, derived from the packages' sources", () => {
        const list = allowList();
        const remoteParents = new Set(planned.filter((r) => r.type === EKS_CLUSTER_COMPONENT || r.type === AWSX_IMAGE_COMPONENT).map((r) => r.type));
        assert.deepStrictEqual([...remoteParents].sort(), [AWSX_IMAGE_COMPONENT, EKS_CLUSTER_COMPONENT].sort());
        const chainTo = (parent: string): string[] => {
            const owner = PLATFORM_TYPES.find((e) => e.type === parent);
            if (owner) return [owner.under[0], parent];
            const child = REMOTE_COMPONENT_CHILDREN.find((c) => c.type === parent)!;
            return [...chainTo(child.parent), parent];
        };
        const createdAt = new Set(REMOTE_COMPONENT_CHILDREN.filter((c) => c.created).map((c) => `${c.parent} ${c.type}`));
        for (const c of REMOTE_COMPONENT_CHILDREN) {
            const entry = list.get(c.type);
            const ok = entry !== undefined && placedAllowed(entry, chainTo(c.parent));
            if (c.created) {
                assert.ok(ok, `${c.type} under ${c.parent} (${c.source}) is created under the real engine but not allowed`);
            } else if (!createdAt.has(`${c.parent} ${c.type}`)) {
                assert.ok(!ok, `${c.type} under ${c.parent} (${c.source}) is not created with the platform's arguments, yet allowed there`);
            }
            assert.match(c.source, /@(v4\.3\.0|e60adf3c):\d+$/, c.type);
        }
        for (const e of ENGINE_ONLY_TYPES) {
            const derived = REMOTE_COMPONENT_CHILDREN.some((c) => c.type === e.type && c.created) || e.type.startsWith("pulumi:providers:");
            assert.ok(derived, `${e.type} is allowed as an engine-only type but no source-derived child creates it`);
        }
    });

    it("holds the platform to the component arguments the children list was derived with", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
        assert.strictEqual(pkg.dependencies["@pulumi/eks"], "4.3.0", "re-derive REMOTE_COMPONENT_CHILDREN from the new pulumi-eks tag");
        assert.strictEqual(pkg.dependencies["@pulumi/awsx"], "3.9.0", "re-derive REMOTE_COMPONENT_CHILDREN from the new pulumi-awsx version");
        const src = fs.readFileSync(path.join(ROOT, "components", "runtimes", "eks", "control-plane.ts"), "utf8");
        const args = src.slice(src.indexOf("new eks.Cluster("), src.indexOf("}, { parent", src.indexOf("new eks.Cluster(")));
        for (const held of ["skipDefaultNodeGroup: true", "skipDefaultSecurityGroups: true", "createOidcProvider: false", "authenticationMode: eks.AuthenticationMode.Api", "corednsAddonOptions: { enabled: false }"]) {
            assert.ok(args.includes(held), `eks.Cluster no longer passes ${held}: its children change (see REMOTE_COMPONENT_CHILDREN)`);
        }
        for (const absent of ["fargate", "accessEntries", "vpcCniOptions", "instanceRole", "createInstanceRole", "storageClasses", "useDefaultVpcCni", "kubeProxyAddonOptions"]) {
            assert.ok(!new RegExp(`\\b${absent}\\s*:`).test(args), `eks.Cluster now passes ${absent}: its children change (see REMOTE_COMPONENT_CHILDREN)`);
        }
    });
});

describe("resource-type-allowed", () => {
    const stack = "dev";
    const urn = (chain: string[], name: string) => `urn:pulumi:${stack}::${PROJECT}::${chain.join("$")}::${name}`;
    const record = (chain: string[], name: string, inputs: Record<string, unknown> = {}): ResourceRecord => ({
        urn: urn(chain, name),
        type: chain[chain.length - 1],
        name,
        parent: chain.length > 1 ? urn(chain.slice(0, -1), `${name}-parent`) : null,
        custom: true,
        inputs,
        outputs: {},
        dependencies: [],
        propertyDependencies: {},
    });
    const only = policies.filter((p) => p.name === RULE);
    const run = (records: ResourceRecord[], config: Record<string, unknown> = {}) =>
        evaluate(records, { mode: "up", config: { [RULE]: config }, policies: only });
    const appRunner = record(["aws:apprunner/service:Service"], "public-api", { networkConfiguration: { ingressConfiguration: { isPubliclyAccessible: true } } });

    it("refuses a type the pack does not know, naming it", async () => {
        const vs = await run([appRunner]);
        assert.strictEqual(vs.length, 1);
        assert.strictEqual(vs[0].enforcementLevel, "mandatory");
        assert.match(vs[0].message, /is of type aws:apprunner\/service:Service, which the policy pack does not know/);
        assert.match(vs[0].message, /Fix: /);
    });

    it("refuses a known type outside the component that owns it", async () => {
        const lb = record(["aws:lb/loadBalancer:LoadBalancer"], "extra-lb");
        const vs = await run([lb]);
        assert.match(vs[0].message, /sits directly under the stack; the pack allows aws:lb\/loadBalancer:LoadBalancer only under privatelink:mesh:PrivateLinkService, privatelink:edge:FrontDoor, privatelink:runtime:LambdaService/);
        const owned = record(["privatelink:index:Platform", "privatelink:mesh:PrivateLinkService", "aws:lb/loadBalancer:LoadBalancer"], "orders-nlb");
        assert.deepStrictEqual(await run([owned]), []);
    });

    it("accepts a stack's allowance with a type, an owner, a reason and an expiry within 180 days", async () => {
        const allowance = { type: "aws:apprunner/service:Service", under: ["<root>"], reason: "migration of the legacy API (PLAT-12)", expires: inDays(30) };
        assert.deepStrictEqual(await run([appRunner], { allowedTypes: [allowance] }), []);
        const elsewhere = await run([appRunner], { allowedTypes: [{ ...allowance, under: ["privatelink:runtime:LambdaService"] }] });
        assert.match(elsewhere[0].message, /only under privatelink:runtime:LambdaService/);
    });

    it("refuses wildcard, reasonless and far-future allowances, which allow nothing", async () => {
        for (const bad of [
            { type: "*", reason: "allow everything for now", expires: inDays(30) },
            { type: "aws:apprunner/*", reason: "allow everything for now", expires: inDays(30) },
            { type: "aws:apprunner/service:Service", reason: "tmp", expires: inDays(30) },
            { type: "aws:apprunner/service:Service", reason: "migration of the legacy API", expires: "2099-12-31" },
            { type: "aws:apprunner/service:Service", under: [], reason: "migration of the legacy API", expires: inDays(30) },
        ]) {
            const vs = await run([appRunner], { allowedTypes: [bad] });
            assert.deepStrictEqual(vs.map((v) => v.enforcementLevel), ["mandatory", "mandatory"], JSON.stringify(bad));
            assert.match(vs[0].message, /allowedTypes entry .* so it allows nothing/);
        }
    });

    it("reads the URN's type chain, so it decides in preview", async () => {
        const vs = await evaluate([{ ...appRunner, inputs: { serviceName: "<unknown>" } }], { mode: "preview", config: {}, policies: only });
        assert.strictEqual(vs[0].enforcementLevel, "mandatory");
    });
});
