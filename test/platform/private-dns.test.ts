import * as assert from "assert";
import { findProblems, RawCatalog } from "../../components/catalog";
import { evaluate } from "../../policies/evaluate";
import type { PreviewResult } from "../../tools/preview";
import { catalogConfig, fargate, Graph, plan, plannedGraph, judgeWith, mandatoryOf } from "../helpers";

const ZONE = "Z0421337A1B2C3D4E5F6";
const SERVICE = "aws:ec2/vpcEndpointService:VpcEndpointService";
const RECORD = "aws:route53/record:Record";
const VERIFY = "aws:vpc/endpointServicePrivateDnsVerification:EndpointServicePrivateDnsVerification";

const config = catalogConfig([
    fargate("web", { consumes: ["orders"] }),
    fargate("orders", { privateDnsName: "orders.api.example.org", privateDnsZoneId: ZONE }),
]);

const judge = judgeWith(config);
const mandatory = mandatoryOf;

describe("a service's own private DNS name", function () {
    this.timeout(180_000);
    let up: PreviewResult;
    let g: Graph;
    before(async () => {
        ({ result: up, g } = await plannedGraph(config));
    });

    it("sets the name on its endpoint service only", () => {
        assert.strictEqual(g.one(SERVICE, "orders-endpoint-service").inputs.privateDnsName, "orders.api.example.org");
        assert.strictEqual(g.one(SERVICE, "web-endpoint-service").inputs.privateDnsName, undefined);
    });

    it("writes the TXT record AWS asks for under the name, in the catalog's zone, then starts the verification", () => {
        const svc = g.one(SERVICE, "orders-endpoint-service");
        // What the endpoint service answered (the cloud's PrivateDnsNameConfiguration), not a value the test computes.
        const [cfg] = svc.outputs.privateDnsNameConfigurations as { name: string; value: string; state: string; type: string }[];
        assert.strictEqual(cfg.type, "TXT");
        assert.strictEqual(cfg.state, "pendingVerification");
        const record = g.one(RECORD, "orders-private-dns-ownership");
        assert.strictEqual(record.inputs.zoneId, ZONE);
        assert.strictEqual(record.inputs.type, "TXT");
        assert.strictEqual(record.inputs.name, `${cfg.name}.orders.api.example.org`);
        assert.deepStrictEqual(record.inputs.records, [cfg.value]);
        const verify = g.one(VERIFY, "orders-private-dns");
        assert.strictEqual(verify.inputs.serviceId, svc.outputs.id ?? svc.id);
        assert.ok(verify.dependencies.includes(record.urn), "the verification starts once the record exists");
        assert.deepStrictEqual(g.ofType(RECORD).length, 1);
    });

    it("reports the name and its verification state among the stack's outputs", () => {
        const services = up.outputs.services as Record<string, { privateDns: unknown }>;
        assert.deepStrictEqual(services.orders.privateDns, { name: "orders.api.example.org", state: "pendingVerification" });
        assert.strictEqual(services.web.privateDns, null);
    });

    it("plans with no mandatory violation in both modes", async () => {
        assert.deepStrictEqual(mandatory(await judge(up, "up")).map(v => `${v.policy}: ${v.message}`), []);
        const preview = await plan(config, "preview");
        assert.deepStrictEqual(mandatory(await judge(preview, "preview")).map(v => `${v.policy}: ${v.message}`), []);
    });

    describe("planted mistakes fail the plan", () => {
        const withProps = (r: PreviewResult["resources"][number], props: Record<string, unknown>) => ({ ...r, inputs: { ...r.inputs, ...props }, outputs: { ...r.outputs, ...props } });
        const planted = async (mutate: (rs: PreviewResult["resources"]) => PreviewResult["resources"]) =>
            mandatory(await judge({ ...up, resources: mutate(up.resources.map(r => ({ ...r }))) }, "up"));
        const ours = (vs: Awaited<ReturnType<typeof evaluate>>) => vs.filter(v => v.policy === "private-dns-names-declared").map(v => v.message);

        it("a name the catalog does not give the service", async () => {
            const vs = await planted(rs => rs.map(r => r.type === SERVICE && r.name === "web-endpoint-service" ? withProps(r, { privateDnsName: "login.example.org" }) : r));
            assert.ok(ours(vs).some(m => m.includes('"login.example.org"') && m.includes("the catalog gives web none")), JSON.stringify(vs.map(v => v.message)));
        });

        it("the proving record moved to another zone, or made an A record", async () => {
            const vs = await planted(rs => rs.map(r => r.type === RECORD ? withProps(r, { zoneId: "Z999999999999", type: "A" }) : r));
            const m = ours(vs).join("\n");
            assert.match(m, /its type is "A", not TXT/);
            assert.match(m, /in zone "Z999999999999", not orders's privateDnsZoneId Z0421337A1B2C3D4E5F6/);
        });

        it("a DNS record that proves nothing the catalog declares", async () => {
            const record = g.one(RECORD, "orders-private-dns-ownership");
            const vs = await planted(rs => [...rs, {
                ...withProps(record, { name: "www.example.org", type: "CNAME", records: ["elsewhere.example.net"] }),
                name: "extra-record",
                urn: record.urn.replace(/::[^:]+$/, "::extra-record"),
                dependencies: [],
                propertyDependencies: {},
            }]);
            assert.ok(ours(vs).some(m => m.includes("extra-record") && m.includes("proves no private DNS name the catalog declares")), JSON.stringify(ours(vs)));
        });
    });
});

describe("catalog: privateDnsName and privateDnsZoneId", () => {
    const problems = (services: unknown[]) => findProblems({ services } as RawCatalog, { stack: "dev" }).problems.map(p => `${p.path}: ${p.message}`);

    it("refuses a name without its hosted zone, naming the field and how to find it", () => {
        const ps = problems([fargate("orders", { privateDnsName: "orders.example.org" })]);
        assert.ok(ps.some(p => p.startsWith("services[0].privateDnsZoneId: is required with privateDnsName") && p.includes("list-hosted-zones-by-name")), ps.join("\n"));
    });

    it("accepts the zone as needs-input, and lists it", () => {
        assert.deepStrictEqual(problems([fargate("orders", { privateDnsName: "orders.example.org", privateDnsZoneId: { needsInput: "the public zone of example.org" } })]), []);
    });

    it("refuses a zone without a name, a wildcard, an AWS domain, a bad label, a bad zone id, and a name two services claim", () => {
        const ps = problems([
            fargate("a", { privateDnsZoneId: ZONE }),
            fargate("b", { privateDnsName: "*.example.org", privateDnsZoneId: ZONE }),
            fargate("c", { privateDnsName: "c.vpce.amazonaws.com", privateDnsZoneId: ZONE }),
            fargate("d", { privateDnsName: "under_score.example.org", privateDnsZoneId: ZONE }),
            fargate("e", { privateDnsName: "e.example.org", privateDnsZoneId: "/hostedzone/Z123" }),
            fargate("f", { privateDnsName: "shared.example.org", privateDnsZoneId: ZONE }),
            fargate("g", { privateDnsName: "shared.example.org", privateDnsZoneId: ZONE }),
        ]);
        const at = (path: string) => ps.filter(p => p.startsWith(`${path}:`)).join("\n");
        assert.match(at("services[0].privateDnsZoneId"), /is set without privateDnsName/);
        assert.match(at("services[1].privateDnsName"), /is a wildcard/);
        assert.match(at("services[2].privateDnsName"), /is an AWS-owned domain/);
        assert.match(at("services[3].privateDnsName"), /has the label "under_score"/);
        assert.match(at("services[4].privateDnsZoneId"), /is not a hosted zone id/);
        assert.match(at("services[6].privateDnsName"), /is already services\[5\]'s private DNS name/);
    });
});
