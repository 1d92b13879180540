import * as assert from "assert";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { evaluate, ResourceRecord, Violation } from "../evaluate";
import { policies, POLICY_PACK_NAME } from "../rules";
import * as pkg from "../package.json";
import { goodStack, rec } from "./fixtures";
import { analyzeRequest, analyzeStackRequest, diagnostics } from "./wire";

/**
 * Differential test: the records go through @pulumi/policy's own analyzer
 * implementation (server.js makeAnalyzeRpcFun / makeAnalyzeStackRpcFun, the
 * code the policy server runs under the CLI) and through evaluate(); both must
 * produce the same diagnostics.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const server = require("@pulumi/policy/server") as {
    makeAnalyzeRpcFun: (...a: unknown[]) => (call: { request: unknown }, cb: (err: unknown, resp?: analyzerpb.AnalyzeResponse) => void) => Promise<void>;
    makeAnalyzeStackRpcFun: (...a: unknown[]) => (call: { request: unknown }, cb: (err: unknown, resp?: analyzerpb.AnalyzeResponse) => void) => Promise<void>;
};

type Diag = Pick<Violation, "policy" | "enforcementLevel" | "urn" | "message">;

function call(fn: ReturnType<typeof server.makeAnalyzeRpcFun>, request: unknown): Promise<analyzerpb.AnalyzeResponse> {
    return new Promise((resolve, reject) => {
        void fn({ request }, (err, resp) => (err ? reject(err) : resolve(resp as analyzerpb.AnalyzeResponse)));
    });
}

async function viaEngine(records: ResourceRecord[]): Promise<Diag[]> {
    const args = [POLICY_PACK_NAME, pkg.version, "advisory", policies];
    const analyze = server.makeAnalyzeRpcFun(...args);
    const analyzeStack = server.makeAnalyzeStackRpcFun(...args);
    const out: Diag[] = [];
    for (const r of records) {
        out.push(...diagnostics(await call(analyze, analyzeRequest(r)), r.urn));
    }
    out.push(...diagnostics(await call(analyzeStack, analyzeStackRequest(records, (r) => ({ ...(r.outputs ?? {}), ...(r.inputs ?? {}) }))), null));
    return out;
}

const key = (d: Diag) => JSON.stringify([d.policy, d.enforcementLevel, d.urn, d.message]);

describe("evaluate() agrees with @pulumi/policy's analyzer implementation", () => {
    it("on a stack with violations, unknowns and nested values", async () => {
        const { all, orders } = goodStack();
        const records: ResourceRecord[] = [
            ...all,
            rec("aws:ec2/securityGroup:SecurityGroup", "open", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] }),
            rec("aws:lb/loadBalancer:LoadBalancer", "maybe-public", { internal: "<unknown>", loadBalancerType: "network" }),
            rec("aws:iam/policy:Policy", "admin", { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) }),
            rec("aws:iam/role:Role", "later", { assumeRolePolicy: "<unknown>" }),
            rec("aws:ec2/internetGateway:InternetGateway", "igw", { vpcId: "<unknown>" }, { deps: { vpcId: orders.vpc } }),
            rec("aws:ec2/vpcEndpoint:VpcEndpoint", "odd", { vpcEndpointType: "Interface", serviceName: "<unknown>", tags: "<unknown>" }, { deps: { vpcId: orders.vpc } }),
        ];
        const engine = await viaEngine(records);
        const ours = (await evaluate(records, { mode: "preview", config: {} })).map((v) => ({ policy: v.policy, enforcementLevel: v.enforcementLevel, urn: v.urn, message: v.message }));
        assert.ok(engine.length >= 8, `the fixture should produce diagnostics (got ${engine.length})`);
        assert.deepStrictEqual(ours.map(key).sort(), engine.map(key).sort());
        assert.ok(engine.some((d) => d.enforcementLevel === "advisory" && d.message.includes("can't run policy 'load-balancer-internal'")));
    });
});
