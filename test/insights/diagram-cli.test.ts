// Not in `npm run test:quick`: it plans the program offline.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main, parseArgs } from "../../tools/preview/cli";
import { currentBlock, readmeBlock, withBlock, BEGIN, END, README_STACK } from "../../tools/insights/readme-diagram";
import { APP } from "../preview/helpers";
import { plan, ROOT, stackConfig, stackFiles } from "../helpers";
import { loadEnvironment } from "../../components/catalog/environment";
import { parseShardStackName } from "../../components/catalog";

describe("insights: the diagram options of the plan command", () => {
    it("parses --diagram and its options, and refuses bad ones", () => {
        assert.deepEqual(parseArgs(["--diagram", "out.svg", "--diagram-focus", "web,orders", "--diagram-focus=search", "--diagram-depth", "2", "--diagram-detail=compact"]).diagram,
            { file: "out.svg", focus: ["web", "orders", "search"], depth: 2, detail: "compact" });
        assert.equal(parseArgs(["--stack", "prod"]).diagram, undefined);
        assert.throws(() => parseArgs(["--diagram", "out.png"]), /must end in \.svg, \.mmd \(Mermaid\) or \.dot/);
        assert.throws(() => parseArgs(["--diagram-focus", "web"]), /need --diagram <file>/);
        assert.throws(() => parseArgs(["--diagram", "a.dot", "--diagram-depth", "-1"]), /whole number/);
        assert.throws(() => parseArgs(["--diagram", "a.dot", "--diagram-detail", "huge"]), /full, compact or auto/);
        assert.throws(() => parseArgs(["--diagram"]), /needs a value/);
        assert.throws(() => parseArgs(["--diagramx", "a"]), /unknown argument/);
    });

    it("writes the diagram next to the plan, and exits 2 for a service the plan does not have", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "diagram-"));
        const file = path.join(dir, "plan.mmd");
        const out: string[] = [];
        const err: string[] = [];
        const code = await main(["--cwd", APP, "--stack", "test", "--diagram", file], s => out.push(s), s => err.push(s));
        assert.equal(code, 0, err.join(""));
        assert.match(out.join(""), /^Previewing update \(test\):/, "the plan is printed as before");
        assert.match(err.join(""), new RegExp(`diagram: wrote ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(mermaid; \\d+ service VPCs?, `));
        assert.match(fs.readFileSync(file, "utf8"), /^flowchart LR\n/);
        const bad: string[] = [];
        assert.equal(await main(["--cwd", APP, "--stack", "test", "--diagram", file, "--diagram-focus", "nope"], () => undefined, s => bad.push(s)), 2);
        assert.match(bad.join(""), /--diagram-focus: no service "nope" in stack 'test'/);
    });
});

describe("insights: npm run plan -- --stack <s> --diagram out.svg for every shipped stack", function () {
    this.timeout(600_000);
    for (const stack of stackFiles()) {
        it(`${stack}: writes an SVG with a VPC for each of the stack's own services`, async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "diagram-"));
            const file = path.join(dir, "out.svg");
            const err: string[] = [];
            const code = await main(["--cwd", ROOT, "--stack", stack, "--diagram", file], () => undefined, s => err.push(s));
            assert.equal(code, 0, err.join(""));
            const svg = fs.readFileSync(file, "utf8");
            assert.match(svg, /^<\?xml|^<svg/);
            // The stack's own services, read from the environment file (a shard declares only its shard's).
            const shard = parseShardStackName(stack);
            const own = shard
                ? loadEnvironment(ROOT, shard.env).shards.find(s => s.name === shard.shard)!.services
                : (stackConfig(stack)["privatelink-platform:services"] as Array<{ name: string }>).map(s => s.name);
            for (const service of own) assert.match(svg, new RegExp(`<g id="vpc__${service}" class="cluster">`), `${stack}: VPC ${service}`);
        });
    }
});

describe("insights: the README's diagram", () => {
    it("is the one the dev plan draws (npm run diagram:readme regenerates it)", async () => {
        const config = stackConfig(README_STACK);
        const result = await plan(config, "preview", README_STACK);
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const expected = readmeBlock(result.resources, config);
        assert.match(expected, /^```mermaid\nflowchart LR\n[\s\S]+\n```$/);
        assert.equal(currentBlock(readme), expected, "README.md's diagram is out of date: run `npm run diagram:readme`");
    });

    it("is replaced between its markers only", () => {
        const readme = `# t\n\nbefore\n\n${BEGIN}\nold\n${END}\n\nafter\n`;
        const next = withBlock(readme, "new");
        assert.equal(next, `# t\n\nbefore\n\n${BEGIN}\nnew\n${END}\n\nafter\n`);
        assert.equal(currentBlock(next), "new");
        assert.throws(() => withBlock("# no markers", "x"), /no <!-- diagram:begin/);
    });
});
