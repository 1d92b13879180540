import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { placeOf, profileTables, summarise } from "../../tools/bench/profile";

describe("npm run bench -- --profile: CPU samples by where the code lives", () => {
    const root = "/w/project";

    it("places a frame in its package, its project folder, Node, or a V8 pseudo-frame", () => {
        assert.strictEqual(placeOf("file:///w/project/node_modules/@pulumi/pulumi/runtime/rpc.js", "transferProperties", root), "@pulumi/pulumi");
        assert.strictEqual(placeOf("file:///w/project/node_modules/typescript/lib/typescript.js", "emit", root), "typescript");
        assert.strictEqual(placeOf("file:///w/project/policies/lib/plan/graph.ts", "node", root), "project: policies/lib");
        assert.strictEqual(placeOf("file:///w/project/index.ts", "(anonymous)", root), "project: index.ts");
        assert.strictEqual(placeOf("node:internal/modules/cjs/loader", "wrapSafe", root), "node:internal");
        assert.strictEqual(placeOf("", "(garbage collector)", root), "(garbage collector)");
        assert.strictEqual(placeOf("", "runMicrotasks", root), "(native) runMicrotasks");
    });

    it("counts self time per sample and sorts the largest first", () => {
        const profile = {
            nodes: [
                { id: 1, callFrame: { functionName: "(garbage collector)", url: "" } },
                { id: 2, callFrame: { functionName: "emit", url: "file:///w/project/node_modules/typescript/lib/typescript.js" } },
                { id: 3, callFrame: { functionName: "check", url: "file:///w/project/policies/rules/iam/x.ts" } },
            ],
            samples: [1, 1, 2, 1, 3, 2, 1, 1],
        };
        const s = summarise(profile, root);
        assert.deepStrictEqual(s.places.map(p => [p.where, p.share]), [["(garbage collector)", 5 / 8], ["typescript", 2 / 8], ["project: policies/rules", 1 / 8]]);
        assert.match(profileTables(s), /\| \(garbage collector\) \| 62\.5% \|\n\| typescript \| 25\.0% \|/);
    });
});

describe("docs/performance.md, Profile of a 200-service plan", () => {
    it("quotes the tables npm run bench -- --profile prints", () => {
        const doc = fs.readFileSync(path.resolve(__dirname, "../../docs/performance.md"), "utf8");
        const section = doc.slice(doc.indexOf("### Profile of a 200-service plan"));
        const printed = profileTables({ places: [], functions: [], samples: 0 }).split("\n").filter(l => l.startsWith("|"));
        for (const line of printed) assert.ok(section.includes(`${line}\n`), `the section lacks the command's table line ${line}`);
        assert.match(section, /^Profile of one plan of 200 Fargate services \(\d+ resources; child\.js platform-once under node --cpu-prof\)/m);
    });
});
