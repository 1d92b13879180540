import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { drift, environments, generate, main, shardFilesOf } from "../../tools/shards/generate";
import { PROJECT, ROOT, stackConfig } from "../helpers";

const STACKS = path.join(ROOT, "stacks");

function tempStacks(envText: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shards-"));
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), envText);
    return dir;
}

describe("shard stack files are generated from the environment file", () => {
    it("every shipped shard file is what `npm run shards` generates, and none is left over", () => {
        assert.deepStrictEqual(drift(STACKS), { missing: [], stale: [], leftOver: [] }, "run: npm run shards");
        assert.deepStrictEqual(environments(STACKS), ["dev", "prod"]);
    });

    it("each holds the environment's whole configuration plus its environment and shard", () => {
        const env = stackConfig("dev");
        const shards = env[`${PROJECT}:shards`] as { name: string }[];
        assert.ok(shards.length >= 5);
        const roleOf = (c: Record<string, unknown>) => (c[`${PROJECT}:platform`] as { frontDoor: { manageAccountRole: boolean } }).frontDoor.manageAccountRole;
        const withoutRole = (c: Record<string, unknown>) => {
            const platform = structuredClone(c[`${PROJECT}:platform`]) as { frontDoor: Record<string, unknown> };
            delete platform.frontDoor.manageAccountRole;
            return { ...c, [`${PROJECT}:platform`]: platform };
        };
        for (const { name } of shards) {
            const shard = stackConfig(`dev.${name}`);
            // Everything but API Gateway's account-wide role, which one shard per account owns (next test).
            assert.deepStrictEqual(withoutRole(shard), { [`${PROJECT}:environment`]: "dev", [`${PROJECT}:shard`]: name, ...withoutRole(env) });
            assert.strictEqual(typeof roleOf(shard), "boolean");
        }
    });

    it("gives API Gateway's account-wide CloudWatch role to exactly one shard with a front door per account and Region (F5)", () => {
        const env = stackConfig("dev");
        const shards = env[`${PROJECT}:shards`] as { name: string; services: string[]; account?: unknown; region?: string }[];
        const services = env[`${PROJECT}:services`] as { name: string; expose?: unknown }[];
        const exposed = new Set(services.filter(s => s.expose).map(s => s.name));
        const owners = new Map<string, string[]>();
        for (const s of shards) {
            const shard = stackConfig(`dev.${s.name}`);
            const owns = (shard[`${PROJECT}:platform`] as { frontDoor: { manageAccountRole: boolean } }).frontDoor.manageAccountRole;
            if (!s.services.some(x => exposed.has(x))) continue;
            const key = `${JSON.stringify(s.account ?? "default")} ${s.region ?? env["aws:region"]}`;
            owners.set(key, [...(owners.get(key) ?? []), ...(owns ? [s.name] : [])]);
        }
        assert.ok(owners.size >= 2, "dev's front doors span two accounts");
        for (const [account, names] of owners) assert.strictEqual(names.length, 1, `${account}: owners ${names.join(", ") || "none"}`);
    });

    it("fails the check when a shard file is edited by hand, missing or left over, and regenerates them", () => {
        const dir = tempStacks(fs.readFileSync(path.join(STACKS, "Pulumi.dev.yaml"), "utf8"));
        generate(dir);
        assert.deepStrictEqual(drift(dir), { missing: [], stale: [], leftOver: [] });
        const file = path.join(dir, "Pulumi.dev.payments.yaml");
        fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("image: \"2.0.7\"", "image: \"2.0.8\""));
        fs.unlinkSync(path.join(dir, "Pulumi.dev.ml.yaml"));
        fs.writeFileSync(path.join(dir, "Pulumi.dev.gone.yaml"), "# GENERATED from stacks/Pulumi.dev.yaml by `npm run shards`\nconfig: {}\n");
        assert.deepStrictEqual(drift(dir), { missing: ["Pulumi.dev.ml.yaml"], stale: ["Pulumi.dev.payments.yaml"], leftOver: ["Pulumi.dev.gone.yaml"] });
        const said: string[] = [];
        const io = { out: (t: string) => said.push(`out: ${t}`), err: (t: string) => said.push(`err: ${t}`) };
        assert.strictEqual(main(["--check"], dir, io), 1);
        assert.deepStrictEqual(said, ["err: missing Pulumi.dev.ml.yaml\nstale Pulumi.dev.payments.yaml\nleft over Pulumi.dev.gone.yaml\nrun: npm run shards"]);
        generate(dir);
        assert.strictEqual(main(["--check"], dir, io), 0);
        assert.deepStrictEqual(said.slice(1), ["out: shard files are current"]);
        assert.ok(fs.readFileSync(file, "utf8").includes("image: \"2.0.7\""));
    });

    it("refuses to copy a secret (each stack encrypts its own) and a malformed shard list, naming the path", () => {
        const base = YAML.parse(fs.readFileSync(path.join(STACKS, "Pulumi.dev.yaml"), "utf8"));
        const secret = tempStacks(YAML.stringify({ config: { ...base.config, [`${PROJECT}:token`]: { secure: "AAABAK..." } } }));
        assert.throws(() => shardFilesOf(secret, "dev"), /privatelink-platform:token is a secret.*pulumi config set --secret --stack dev.<shard>/);
        const bad = tempStacks(YAML.stringify({ config: { ...base.config, [`${PROJECT}:shards`]: [{ name: "a", services: ["web", "nope"] }] } }));
        assert.throws(() => shardFilesOf(bad, "dev"), /shards\[0\]\.services\[1\]: unknown service "nope"/);
    });
});
