// Not in `npm run test:quick`: it plans the program offline.
import { strict as assert } from "assert";
import { ACCOUNT_ID } from "../../tools/preview/cloud";
import { PreviewResult, ResourceRecord } from "../../tools/preview";
import { buildModel, diagramGraph, DiagramRecord, formatOf, ids, safeId, toDot, toMermaid } from "../../tools/insights/diagram";
import { renderSvg } from "../../tools/insights/render";
import { plan, PROJECT, stackConfig } from "../helpers";

/**
 * The catalog's services and its edges, read from the stack file (not from
 * the diagram's model): every `consumes`, and the front door's edge to every
 * service with an `expose` block.
 */
function catalogOf(config: Record<string, unknown>): { services: string[]; edges: Array<[string, string]>; runtimes: Map<string, string> } {
    const services = config[`${PROJECT}:services`] as Array<{ name: string; runtime: string; consumes?: string[]; expose?: unknown }>;
    return {
        services: services.map(s => s.name),
        edges: [
            ...services.flatMap(s => (s.consumes ?? []).map(p => [s.name, p] as [string, string])),
            ...services.filter(s => s.expose !== undefined).map(s => [FRONT_DOOR, s.name] as [string, string]),
        ],
        runtimes: new Map(services.map(s => [s.name, s.runtime])),
    };
}

/** The front door's name as the program registers it (its edge VPC and endpoints carry it). */
const FRONT_DOOR = "front-door";

/** Consumer edges as the plan records them (the mesh endpoints' `privatelink:edge` tag). */
function planEdges(result: PreviewResult): string[] {
    return result.resources
        .filter(r => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint")
        .map(r => ((r.inputs.tags ?? {}) as Record<string, string>)["privatelink:edge"])
        .filter((e): e is string => e !== undefined)
        .sort();
}

interface Rendered {
    dot: string;
    mermaid: string;
    svg: string;
}

async function renderAll(records: DiagramRecord[], options: Parameters<typeof diagramGraph>[1] = {}): Promise<Rendered> {
    const { graph } = diagramGraph(records, options);
    const dot = toDot(graph);
    return { dot, mermaid: toMermaid(graph), svg: await renderSvg(dot) };
}

/** Text as Graphviz writes it into SVG (it escapes hyphens too). */
function svgText(s: string): string {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/-/g, "&#45;");
}

const RUNTIME_LABEL: Record<string, string> = { fargate: "ECS Fargate", "ecs-ec2": "ECS on EC2", eks: "EKS", lambda: "Lambda" };

/** Asserts that every service, every consumer edge and every given principal is in each format. */
function assertComplete(r: Rendered, catalog: ReturnType<typeof catalogOf>, principals: Array<[string, string]> = []): void {
    for (const s of catalog.services) {
        const vpc = ids.vpc(s);
        assert.match(r.dot, new RegExp(`subgraph "cluster_${vpc}" \\{\\n\\s+id="${vpc}"; label="VPC ${s} · ${RUNTIME_LABEL[catalog.runtimes.get(s)!]}`), `dot: VPC ${s} with its runtime`);
        assert.match(r.mermaid, new RegExp(`\\n\\s+subgraph ${vpc}\\["VPC ${s} · ${RUNTIME_LABEL[catalog.runtimes.get(s)!]}`), `mermaid: VPC ${s}`);
        assert.match(r.svg, new RegExp(`<g id="${vpc}" class="cluster">`), `svg: VPC ${s}`);
        assert.match(r.svg, new RegExp(`<text[^>]*>VPC ${s} · `), `svg: VPC ${s}'s label`);
    }
    for (const [c, p] of catalog.edges) {
        const ep = ids.endpoint(c, p);
        const eps = ids.endpointService(p);
        assert.match(r.dot, new RegExp(`"${ep}" -> "${eps}" \\[id="${ids.edge(c, p)}"`), `dot: edge ${c} -> ${p}`);
        assert.match(r.mermaid, new RegExp(`\\n  ${ep} -\\.-> ${eps}\\n`), `mermaid: edge ${c} -> ${p}`);
        assert.match(r.svg, new RegExp(`<g id="${ids.edge(c, p)}" class="edge">\\s*<title>${ep}&#45;&gt;${eps}</title>`), `svg: edge ${c} -> ${p}`);
    }
    for (const [arn, service] of principals) {
        const node = ids.principal(arn);
        assert.match(r.dot, new RegExp(`"${node}" \\[id="${node}", label="account \\d{12}\\\\n${arn}"`), `dot: principal ${arn}`);
        assert.match(r.dot, new RegExp(`"${node}" -> "${ids.endpointService(service)}"`), `dot: ${arn} -> ${service}`);
        assert.ok(r.mermaid.includes(`${node}[/"account `) && r.mermaid.includes(`${arn}"/]`), `mermaid: principal ${arn}`);
        assert.match(r.mermaid, new RegExp(`\\n  ${node} -\\.->\\|"allowed principal"\\| ${ids.endpointService(service)}\\n`), `mermaid: ${arn} -> ${service}`);
        assert.ok(r.svg.includes(`>${svgText(arn)}</text>`), `svg: principal ${arn}`);
        assert.match(r.svg, new RegExp(`<title>${node}&#45;&gt;${ids.endpointService(service)}</title>`), `svg: ${arn} -> ${service}`);
    }
}

const PARTNER = "arn:aws:iam::302145689107:role/settlement-reader";
const EDGE_ACCOUNT = "arn:aws:iam::418293756204:root";

/** dev with its two `needsInput` principals answered by other accounts. */
function devWithPartners(): Record<string, unknown> {
    const config = structuredClone(stackConfig("dev"));
    const services = config[`${PROJECT}:services`] as Array<Record<string, unknown>>;
    services.find(s => s.name === "web")!.allowedPrincipals = [EDGE_ACCOUNT];
    services.find(s => s.name === "payments")!.allowedPrincipals = [PARTNER];
    return config;
}

describe("insights: the plan diagram", () => {
    for (const stack of ["dev", "prod"]) {
        it(`${stack}: every service, consumer edge and runtime is drawn in SVG, Mermaid and DOT`, async () => {
            const config = stackConfig(stack);
            const result = await plan(config, "preview", stack);
            assert.equal(result.errors, undefined);
            const catalog = catalogOf(config);
            assert.deepEqual(planEdges(result), catalog.edges.map(([c, p]) => `${c}->${p}`).sort(), "the plan creates exactly the catalog's edges");
            assert.ok(catalog.edges.some(([c]) => c === FRONT_DOOR), `${stack} exposes services through its front door`);
            const { model } = diagramGraph(result.resources);
            assert.deepEqual(model.principals, [], `${stack} names no other account (its allowedPrincipals are needsInput)`);
            assert.deepEqual(model.frontDoors.map(f => [f.name, f.waf, f.vpcLinks]), [[FRONT_DOOR, true, 1]]);
            const zones = stack === "dev" ? 2 : 3;
            for (const v of model.vpcs) assert.equal(v.zones.length, zones, `${v.service}: one zone id per subnet`);
            // As `npm run plan -- --diagram` draws it: with the stack's configuration, so shard groups are boxes too.
            const rendered = await renderAll(result.resources, { title: stack, stackConfig: config });
            assertComplete(rendered, catalog);
            const api = safeId("api", FRONT_DOOR);
            assert.match(rendered.dot, new RegExp(`"${api}" \\[id="${api}", label="API Gateway REST [^"]+ · stage [^"]+\\\\n\\d+ methods · WAF · 1 VPC link"`));
            assert.match(rendered.mermaid, new RegExp(`\\n    ${api}\\{\\{"API Gateway REST `));
            assert.match(rendered.svg, new RegExp(`<g id="${api}" class="node">`));
        });
    }

    it("draws the principals of other accounts, not the stack's own", async () => {
        const config = devWithPartners();
        for (const mode of ["preview", "up"] as const) {
            const result = await plan(config, mode, "dev");
            assert.equal(result.errors, undefined, JSON.stringify(result.errors));
            const own = result.resources
                .filter(r => r.type === "aws:ec2/vpcEndpointService:VpcEndpointService")
                .flatMap(r => r.inputs.allowedPrincipals as string[])
                .filter(p => p.includes(`::${ACCOUNT_ID}:`));
            assert.ok(own.length > 0, "the in-stack consumer principal is allowed too, and must not be drawn");
            const { model } = diagramGraph(result.resources);
            assert.deepEqual(model.principals.map(p => [p.arn, p.account]), [[PARTNER, "302145689107"], [EDGE_ACCOUNT, "418293756204"]], mode);
            assertComplete(await renderAll(result.resources), catalogOf(config), [[PARTNER, "payments"], [EDGE_ACCOUNT, "web"]]);
        }
    });

    it("names the runtime's instance types and the VPC's AWS-service endpoints", async () => {
        const result = await plan(stackConfig("dev"), "preview", "dev");
        const { model } = diagramGraph(result.resources);
        const recommend = model.vpcs.find(v => v.service === "recommend")!;
        assert.deepEqual([recommend.runtime, recommend.instanceTypes], ["ECS on EC2", ["g5.xlarge"]]);
        assert.ok(recommend.awsEndpoints.includes("ecs-agent") && recommend.awsEndpoints.includes("s3 (gateway)"), recommend.awsEndpoints.join());
        // Lambda needs no endpoint to run; notifier reaches its own job queue (catalog data) through sqs.
        assert.deepEqual(model.vpcs.find(v => v.service === "notifier")!.awsEndpoints, ["sqs"]);
        assert.deepEqual(model.vpcs.find(v => v.service === "search")!.instanceTypes, ["t3.large"]);
        assert.ok(model.vpcs.every(v => v.internetPaths.length === 0));
    });

    it("draws each service's stores and triggers, as dev's catalog declares them", async () => {
        const result = await plan(stackConfig("dev"), "preview", "dev");
        const { model, graph } = diagramGraph(result.resources);
        // stacks/Pulumi.dev.yaml: orders owns a table and a queue (with its dead-letter queue), catalog a bucket,
        // notifier a queue that triggers it; nobody else owns a store or has a trigger.
        const drawn = model.vpcs.filter(v => v.stores.length > 0 || v.triggers.length > 0).map(v => [v.service, v.stores, v.triggers]);
        assert.deepEqual(drawn, [
            ["orders", ["queue events (+DLQ)", "table orders"], []],
            ["catalog", ["bucket images"], []],
            ["notifier", ["queue jobs (+DLQ)"], ["queue notifier/jobs"]],
        ]);
        const mermaid = toMermaid(graph);
        assert.ok(mermaid.includes("data: queue jobs (+DLQ)") && mermaid.includes("triggers: queue notifier/jobs"), "the lines are drawn");
    });

    it("draws one service's neighbourhood, and refuses a service the plan does not have", async () => {
        const result = await plan(stackConfig("dev"), "preview", "dev");
        const near = diagramGraph(result.resources, { focus: ["payments"] }).model;
        // payments consumes accounts and notifications; orders consumes payments.
        assert.deepEqual(near.vpcs.map(v => v.service).sort(), ["accounts", "notifications", "orders", "payments"]);
        assert.deepEqual(near.edges.map(e => `${e.consumer}->${e.provider}`).sort(),
            ["orders->accounts", "orders->notifications", "orders->payments", "payments->accounts", "payments->notifications"]);
        // orders also calls catalog and notifier, and web calls orders: none of them drawn.
        assert.equal(near.vpcs.find(v => v.service === "orders")!.outside, 3);
        const two = diagramGraph(result.resources, { focus: ["payments"], depth: 2 }).model;
        assert.ok(two.vpcs.some(v => v.service === "web"), "web consumes orders: two edges away");
        const self = diagramGraph(result.resources, { focus: ["catalog"], depth: 0 }).model;
        assert.deepEqual(self.vpcs.map(v => v.service), ["catalog"]);
        assert.throws(() => diagramGraph(result.resources, { focus: ["paymnts"] }), /no service "paymnts" in the plan; services: accounts, catalog, /);
    });

    it("draws one node per service in compact detail, every edge kept", async () => {
        const config = stackConfig("dev");
        const result = await plan(config, "preview", "dev");
        const { graph } = diagramGraph(result.resources, { detail: "compact" });
        const mermaid = toMermaid(graph);
        assert.doesNotMatch(mermaid, /subgraph vpc__/, "no VPC boxes, the front door's edge VPC included");
        for (const [c, p] of catalogOf(config).edges) {
            const from = c === FRONT_DOOR ? safeId("api", FRONT_DOOR) : ids.service(c);
            assert.match(mermaid, new RegExp(`\\n  ${from} -\\.-> ${ids.service(p)}\\n`), `${c} -> ${p}`);
        }
        const auto = diagramGraph(result.resources, { detail: "auto", compactAbove: 5 }).graph;
        assert.ok(auto.clusters.every(c => c.kind === "frontDoor" && c.clusters.length === 0), "auto turns compact above the threshold");
    });

    it("groups services by shard or team, from tags or the catalog", async () => {
        const config = stackConfig("dev");
        const result = await plan(config, "preview", "dev");
        const teams = structuredClone(config);
        // Without the environment's shard list, which wins over a service's own field (below).
        delete teams[`${PROJECT}:shards`];
        for (const s of teams[`${PROJECT}:services`] as Array<Record<string, unknown>>) s.team = ["web", "orders", "payments"].includes(s.name as string) ? "checkout" : "platform";
        const { graph } = diagramGraph(result.resources, { stackConfig: teams });
        assert.deepEqual(graph.clusters.filter(c => c.kind === "group").map(c => [c.lines[0], c.clusters.length]), [["checkout", 3], ["platform", 6]]);
        // A shard tag on the VPC wins over the catalog.
        const tagged = result.resources.map(r => r.type === "aws:ec2/vpc:Vpc" && r.name === "web-vpc"
            ? { ...r, inputs: { ...r.inputs, tags: { ...(r.inputs.tags as object), "privatelink:shard": "edge-shard" } } }
            : r);
        assert.equal(buildModel(tagged, { stackConfig: teams }).vpcs.find(v => v.service === "web")!.group, "edge-shard");
        // The environment's shard list (issue 11) wins over a service's own field.
        const sharded = { ...teams, [`${PROJECT}:shards`]: [{ name: "storefront", services: ["web", "orders", "catalog"] }, { name: "search", services: ["search"] }] };
        const groups = buildModel(result.resources, { stackConfig: sharded }).vpcs.map(v => `${v.service}:${v.group}`);
        assert.deepEqual(groups.filter(g => /^(web|catalog|search|payments):/.test(g)).sort(),
            ["catalog:shard storefront", "payments:checkout", "search:shard search", "web:shard storefront"]);
    });

    it("draws a consumer edge to a service another stack provides (a shard's) as an external node", () => {
        const records = frontDoorRecords();
        const ordersVpc = records.find(r => r.name === "orders-vpc")!;
        const toLedger: ResourceRecord = {
            ...records.find(r => r.name === "edge-to-orders-endpoint")!,
            urn: `${ordersVpc.urn}-ledger-endpoint`, name: "orders-to-ledger-endpoint", parent: null,
            inputs: { vpcEndpointType: "Interface", serviceName: "<unknown>", tags: { "privatelink:consumer": "orders", "privatelink:provider": "ledger" } },
            propertyDependencies: { vpcId: [ordersVpc.urn], serviceName: [] },
        };
        const { model, graph } = diagramGraph([...records, toLedger]);
        assert.deepEqual(model.edges.map(e => [e.consumer, e.provider, e.endpointService === undefined]), [["edge", "orders", false], ["orders", "ledger", true]]);
        const dot = toDot(graph);
        assert.match(dot, /"external__ledger" \[id="external__ledger", label="ledger\\nin another stack"/);
        assert.match(dot, /"ep__orders__ledger" -> "external__ledger" \[id="edge__orders__ledger"/);
        assert.deepEqual(diagramGraph([...records, toLedger], { focus: ["orders"], depth: 0 }).model.edges.map(e => e.provider), ["ledger", "orders"]);
    });

    it("draws a front door from its records: API, WAF, VPC link, edge VPC and its endpoints", () => {
        const records = frontDoorRecords();
        const { model, graph } = diagramGraph(records);
        assert.deepEqual(model.frontDoors.map(f => [f.name, f.apis, f.stages, f.methods, f.waf, f.vpcLinks, f.loadBalancers]),
            [["edge", ["platform-api"], ["v1"], 2, true, 1, 1]]);
        assert.deepEqual(model.edges.map(e => `${e.consumer}->${e.provider}`), ["edge->orders"]);
        assert.deepEqual(model.vpcs.map(v => [v.service, v.frontDoor !== undefined, v.internetPaths]), [["orders", false, []], ["edge", true, []]]);
        const dot = toDot(graph);
        assert.match(dot, /"internet__edge" -> "api__edge" \[id="public__edge"/);
        assert.match(dot, /label="API Gateway REST platform-api · stage v1\\n2 methods · WAF · 1 VPC link"/);
        assert.match(dot, /"api__edge" -> "edge_alb__edge" \[id="vpclink__edge__edge", label="VPC link"\]/);
        assert.match(dot, /"ep__edge__orders" -> "eps__orders" \[id="edge__edge__orders"/);
        assert.match(toMermaid(graph), /\n  internet__edge ==>\|"HTTPS"\| api__edge\n/);
        // Focused on orders, the front door that reaches it stays; on nothing it reaches, it goes.
        assert.equal(diagramGraph(records, { focus: ["orders"] }).model.frontDoors.length, 1);
    });

    it("takes the format from the file name", () => {
        assert.deepEqual(["a.svg", "b.MMD", "c.dot", "d.gv", "e.mermaid", "f.png", "g"].map(formatOf), ["svg", "mermaid", "dot", "dot", "mermaid", undefined, undefined]);
    });
});

/** A service and a front door, as records: what fd-core's component is expected to register (types and parents). */
function frontDoorRecords(): ResourceRecord[] {
    const p = "urn:pulumi:dev::privatelink-platform::";
    const rec = (type: string, name: string, parent: string | null, inputs: Record<string, unknown> = {}, propertyDependencies: Record<string, string[]> = {}): ResourceRecord => ({
        urn: `${p}${type}::${name}`, type, name, parent, custom: !type.startsWith("privatelink:"), remote: false, op: "create", id: "<unknown>",
        inputs, outputs: {}, dependencies: [], propertyDependencies,
        options: { protect: false, retainOnDelete: false, deleteBeforeReplace: false, aliases: [], ignoreChanges: [], provider: null, replaceOnChanges: [], additionalSecretOutputs: [], deletedWith: null, import: null },
    });
    const fd = rec("privatelink:edge:FrontDoor", "edge", null);
    const svcVpc = rec("aws:ec2/vpc:Vpc", "orders-vpc", null, { cidrBlock: "10.0.0.0/16", tags: { "privatelink:service": "orders" } });
    const svcSubnet = rec("aws:ec2/subnet:Subnet", "orders-private-a", null, { availabilityZoneId: "use1-az1", vpcId: "<unknown>" }, { vpcId: [svcVpc.urn] });
    const nlb = rec("aws:lb/loadBalancer:LoadBalancer", "orders-nlb", null, { loadBalancerType: "network" }, { subnets: [svcSubnet.urn] });
    const es = rec("aws:ec2/vpcEndpointService:VpcEndpointService", "orders-endpoint-service", null,
        { acceptanceRequired: true, allowedPrincipals: [`arn:aws:iam::${ACCOUNT_ID}:root`], tags: { "privatelink:service": "orders" } },
        { networkLoadBalancerArns: [nlb.urn] });
    const edgeVpc = rec("aws:ec2/vpc:Vpc", "edge-vpc", fd.urn, { cidrBlock: "10.1.0.0/16" });
    const edgeSubnet = rec("aws:ec2/subnet:Subnet", "edge-private-a", fd.urn, { availabilityZoneId: "use1-az1" }, { vpcId: [edgeVpc.urn] });
    const endpoint = rec("aws:ec2/vpcEndpoint:VpcEndpoint", "edge-to-orders-endpoint", fd.urn, { vpcEndpointType: "Interface", serviceName: "<unknown>" },
        { vpcId: [edgeVpc.urn], serviceName: [es.urn], subnetIds: [edgeSubnet.urn] });
    const alb = rec("aws:lb/loadBalancer:LoadBalancer", "edge-alb", fd.urn, { loadBalancerType: "application", internal: true }, { subnets: [edgeSubnet.urn] });
    return [
        svcVpc, svcSubnet, nlb, es, fd, edgeVpc, edgeSubnet, endpoint, alb,
        rec("aws:apigateway/restApi:RestApi", "edge-api", fd.urn, { name: "platform-api" }),
        rec("aws:apigateway/stage:Stage", "edge-stage", fd.urn, { stageName: "v1" }),
        rec("aws:apigateway/method:Method", "orders-orders-get", fd.urn),
        rec("aws:apigateway/method:Method", "orders-orders-post", fd.urn),
        rec("aws:apigatewayv2/vpcLink:VpcLink", "edge-link", fd.urn),
        rec("aws:wafv2/webAclAssociation:WebAclAssociation", "edge-waf", fd.urn),
    ];
}
