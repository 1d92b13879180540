import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { rules } from "../rules";
import * as pkg from "../package.json";
import { fixtureDeclarations, goodStack, rec } from "./fixtures";
import { inDays } from "./helpers";
import { analyzeRequest, analyzeStackRequest, diagnostics } from "./wire";

/**
 * Starts the pack the way the Pulumi CLI does (the Node policy-pack runner of
 * @pulumi/pulumi, `run-policy-pack <engine address> <pack dir>`, from the pack
 * directory, TypeScript through ts-node), reads the port it prints and talks
 * the analyzer protocol to it over loopback.
 */
const ROOT = path.resolve(__dirname, "..", "..");
const PACK = path.join(ROOT, "policies");

function promisify<Req, Res>(client: analyzerGrpc.AnalyzerClient, method: string, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
        (client as unknown as Record<string, (r: Req, cb: (e: grpc.ServiceError | null, res: Res) => void) => void>)[method](req, (e, res) => (e ? reject(e) : resolve(res)));
    });
}

describe("the policy pack through its real entry point (analyzer gRPC)", function () {
    this.timeout(120_000);
    let child: ChildProcess | undefined;
    let engine: grpc.Server | undefined;
    let client: analyzerGrpc.AnalyzerClient;
    const logs: string[] = [];
    let stderr = "";

    before(async () => {
        // A stand-in engine on loopback for the runner's log calls (the CLI passes its own address first).
        engine = new grpc.Server();
        engine.addService(engineGrpc.EngineService, {
            log: (call: grpc.ServerUnaryCall<{ getMessage(): string }, Empty>, cb: grpc.sendUnaryData<Empty>) => {
                logs.push(call.request.getMessage());
                cb(null, new Empty());
            },
        } as unknown as grpc.UntypedServiceImplementation);
        const enginePort = await new Promise<number>((resolve, reject) =>
            engine!.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
        );

        const runner = path.join(ROOT, "node_modules/@pulumi/pulumi/cmd/run-policy-pack");
        // The engine hands the pack the stack's configuration as PULUMI_CONFIG (pulumi/pulumi
        // pkg/resource/plugin/analyzer_plugin.go, constructEnv): the fixtures' stack declares its account.
        const declared = fixtureDeclarations().stackConfig;
        const PULUMI_CONFIG = JSON.stringify(Object.fromEntries(Object.entries(declared).map(([k, v]) => [k, JSON.stringify(v)])));
        child = spawn(process.execPath, [runner, `127.0.0.1:${enginePort}`, "."], { cwd: PACK, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PULUMI_CONFIG } });
        child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
        const port = await new Promise<number>((resolve, reject) => {
            let out = "";
            const timer = setTimeout(() => reject(new Error(`the pack printed no port; stderr:\n${stderr}`)), 110_000);
            child!.stdout!.on("data", (d: Buffer) => {
                out += d.toString();
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) {
                    clearTimeout(timer);
                    resolve(Number(m[1]));
                }
            });
            child!.on("exit", (code) => {
                clearTimeout(timer);
                reject(new Error(`the pack exited with ${code} before printing a port; stderr:\n${stderr}`));
            });
        });
        client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });

    after(async () => {
        client?.close();
        if (child && child.exitCode === null) {
            const exited = new Promise((r) => child!.once("exit", r));
            child.kill("SIGTERM");
            await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
            if (child.exitCode === null && child.signalCode === null) {
                child.kill("SIGKILL");
            }
        }
        await new Promise<void>((r) => (engine ? engine.tryShutdown(() => r()) : r()));
    });

    it("answers GetPluginInfo and GetAnalyzerInfo with every policy, its level and config schema", async () => {
        const plugin = await promisify<Empty, { getVersion(): string }>(client, "getPluginInfo", new Empty());
        assert.match(plugin.getVersion(), /^\d+\.\d+\.\d+/);
        const info = await promisify<Empty, analyzerpb.AnalyzerInfo>(client, "getAnalyzerInfo", new Empty());
        assert.strictEqual(info.getName(), "privatelink-platform");
        assert.strictEqual(info.getVersion(), pkg.version);
        assert.ok(info.getSupportsconfig());
        const served = info.getPoliciesList();
        assert.deepStrictEqual(served.map((p) => p.getName()).sort(), rules.map((r) => r.name).sort());
        const byName = new Map(served.map((p) => [p.getName(), p]));
        const sg = byName.get("security-group-no-public-ingress")!;
        assert.strictEqual(sg.getEnforcementlevel(), analyzerpb.EnforcementLevel.MANDATORY);
        assert.strictEqual(sg.getPolicyType(), analyzerpb.PolicyType.POLICY_TYPE_RESOURCE);
        assert.ok(sg.getRemediationSteps().length > 0);
        assert.strictEqual(byName.get("load-balancer-access-logs")!.getEnforcementlevel(), analyzerpb.EnforcementLevel.ADVISORY);
        assert.strictEqual(byName.get("declared-edges-only")!.getPolicyType(), analyzerpb.PolicyType.POLICY_TYPE_STACK);
        const schema = byName.get("no-internet-or-cross-vpc-gateways")!.getConfigschema()!.getProperties()!.toJavaScript();
        assert.deepStrictEqual(Object.keys(schema).sort(), ["allowedResources", "exemptions"]);
    });

    it("analyzes a violating resource (Analyze)", async () => {
        const open = rec("aws:ec2/securityGroup:SecurityGroup", "open", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] });
        const resp = await promisify<analyzerpb.AnalyzeRequest, analyzerpb.AnalyzeResponse>(client, "analyze", analyzeRequest(open));
        const ds = diagnostics(resp, open.urn);
        const hit = ds.find((d) => d.policy === "security-group-no-public-ingress");
        assert.ok(hit, JSON.stringify(ds));
        assert.strictEqual(hit.enforcementLevel, "mandatory");
        assert.match(hit.message, /ingress\[0\] admits 0\.0\.0\.0\/0/);
    });

    it("answers an unknown value in preview with the advisory, not a mandatory violation", async () => {
        const lb = rec("aws:lb/loadBalancer:LoadBalancer", "lb", { internal: "<unknown>", loadBalancerType: "network", enableDeletionProtection: true, accessLogs: { bucket: "b", enabled: true } });
        const ds = diagnostics(await promisify(client, "analyze", analyzeRequest(lb)), lb.urn);
        assert.deepStrictEqual(ds.map((d) => [d.policy, d.enforcementLevel]), [["load-balancer-internal", "advisory"]]);
        assert.match(ds[0].message, /can't run policy 'load-balancer-internal' .* during preview/);
    });

    it("checks the topology (AnalyzeStack): two services' workloads in one VPC", async () => {
        const { all, orders } = goodStack();
        const records = all.map((r) =>
            r.name === "payments-service" ? { ...r, propertyDependencies: { ...r.propertyDependencies, networkConfiguration: [...orders.subnets.map((s) => s.urn), orders.sg.urn] } } : r,
        );
        // The fixtures' log bucket, declared as the stack's policy config declares it.
        const req = new analyzerpb.ConfigureAnalyzerRequest();
        for (const [name, props] of Object.entries(fixtureDeclarations().config)) {
            const c = new analyzerpb.PolicyConfig();
            c.setEnforcementlevel(analyzerpb.EnforcementLevel.MANDATORY);
            c.setProperties(Struct.fromJavaScript(props as never));
            req.getPolicyconfigMap().set(name, c);
        }
        await promisify(client, "configure", req);
        const resp = await promisify<analyzerpb.AnalyzeStackRequest, analyzerpb.AnalyzeResponse>(client, "analyzeStack", analyzeStackRequest(records, (r) => r.inputs));
        const ds = diagnostics(resp, null).filter((d) => d.enforcementLevel === "mandatory");
        assert.deepStrictEqual([...new Set(ds.map((d) => d.policy))].sort(), ["privatelink-only-between-vpcs", "vpc-single-tenant", "workload-in-owned-vpc"]);
        assert.ok(ds.some((d) => d.urn === orders.vpc.urn));
    });

    it("applies Configure: levels, config properties and exemptions", async () => {
        const req = new analyzerpb.ConfigureAnalyzerRequest();
        const m = req.getPolicyconfigMap();
        const off = new analyzerpb.PolicyConfig();
        off.setEnforcementlevel(analyzerpb.EnforcementLevel.DISABLED);
        off.setProperties(Struct.fromJavaScript({}));
        m.set("load-balancer-internal", off);
        const sg = new analyzerpb.PolicyConfig();
        sg.setEnforcementlevel(analyzerpb.EnforcementLevel.MANDATORY);
        sg.setProperties(Struct.fromJavaScript({ exemptions: [{ resource: "urn:*::open", reason: "bastion during the cut-over", expires: inDays(90) }] }));
        m.set("security-group-no-public-ingress", sg);
        await promisify(client, "configure", req);

        const lb = rec("aws:lb/loadBalancer:LoadBalancer", "lb", { internal: false, loadBalancerType: "network", enableDeletionProtection: true, accessLogs: { bucket: "b", enabled: true } });
        assert.deepStrictEqual(diagnostics(await promisify(client, "analyze", analyzeRequest(lb)), lb.urn), []);
        const open = rec("aws:ec2/securityGroup:SecurityGroup", "open", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] });
        const ds = diagnostics(await promisify(client, "analyze", analyzeRequest(open)), open.urn);
        assert.deepStrictEqual(ds.map((d) => [d.policy, d.enforcementLevel]), [["security-group-no-public-ingress", "advisory"]]);
        assert.match(ds[0].message, new RegExp(`EXEMPTED until ${inDays(90)} .*bastion during the cut-over`));
    });
});
