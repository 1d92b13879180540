import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { syntheticServices, syntheticStackConfig, withFrontDoor } from "../../tools/bench/catalog";
import { PACK_BUDGET_S, PACK_TABLE_HEADER } from "../../tools/bench/pack";
import { findProblems } from "../../components/catalog";

describe("npm run bench -- --pack: the policy pack's time over catalogs with a front door", () => {
    it("exposes every tenth service behind IAM, every fiftieth with an open route that has a reason, and the catalog is valid", () => {
        const services = withFrontDoor(syntheticServices(100));
        const exposed = services.filter((s) => s.expose);
        assert.strictEqual(exposed.length, 10);
        const open = exposed.flatMap((s) => (s.expose!.routes as { auth?: string; reason?: string }[]).filter((r) => r.auth === "none"));
        assert.strictEqual(open.length, 2);
        assert.ok(open.every((r) => (r.reason ?? "").length > 10));
        const config = syntheticStackConfig(100, undefined, false, true);
        const { problems } = findProblems({ platform: config["privatelink-platform:platform"], services: config["privatelink-platform:services"] }, { projectDir: path.resolve(__dirname, "../..") });
        assert.deepStrictEqual(problems, []);
    });
});

describe("docs/performance.md, The policy pack over 200-service catalogs", () => {
    it("quotes the table npm run bench -- --pack prints: both catalogs at 200 services, 0 mandatory violations", () => {
        const doc = fs.readFileSync(path.resolve(__dirname, "../../docs/performance.md"), "utf8");
        const start = doc.indexOf("## The policy pack over 200-service catalogs");
        const end = doc.indexOf("\n## ", start + 1);
        const section = doc.slice(start, end < 0 ? undefined : end);
        assert.ok(section.length > 0 && doc.includes("## The policy pack over 200-service catalogs"), "the section is missing");
        for (const line of PACK_TABLE_HEADER) assert.ok(section.includes(`${line}\n`), `the section lacks the command's table line ${line}`);
        const rows = section.split("\n").filter((l) => /^\| (fargate|mixed) \| 200 \|/.test(l));
        assert.strictEqual(rows.length, 2, "one row per catalog at 200 services");
        for (const row of rows) {
            const cells = row.split("|").map((c) => c.trim());
            assert.strictEqual(cells.length, PACK_TABLE_HEADER[0].split("|").length, `${row}: one cell per column`);
            assert.strictEqual(cells[8], "0", `${row}: mandatory violations`);
        }
        assert.ok(section.includes(`budget ${PACK_BUDGET_S} s at 200 services`), "the section quotes the command's budget line");
    });
});
