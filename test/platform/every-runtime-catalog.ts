/**
 * A fixture shared by the allow-list and front-door tests (a module of its
 * own: a test file imported by another would register its suites twice).
 */
import { ACCOUNT_ID } from "../../tools/preview/cloud";
import { catalogConfig } from "../helpers";
import { testJwks } from "./front-door-fixtures";

/**
 * A catalog with every runtime, image builds and edges across them, and a
 * front door with every option (every auth, a direct lambda integration, a
 * request schema, a custom domain, usage plans, the account role): every
 * type the components can declare.
 */
export function everyRuntimeCatalog(): Record<string, unknown> {
    return catalogConfig([
        { name: "web", runtime: "fargate", port: 8080, image: { context: "./services/notifier" }, consumes: ["gpu", "thumbs", "search"],
            external: [{ name: "vendor-db", serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0c4f1e2d3a5b69788", ports: [5432], reason: "the vendor's managed database, over PrivateLink" }],
            expose: { auth: "cognito", routes: [{ path: "/app", methods: ["GET", "POST"] }, { path: "/ping", methods: ["GET"], auth: "none", reason: "uptime probes, no data" }] } },
        { name: "gpu", runtime: "ecs-ec2", port: 8080, image: "1.0.0", instanceTypes: ["m7i.large"],
            data: [{ name: "models", type: "s3" }, { name: "runs", type: "dynamodb" }], secrets: { TOKEN: { ssm: "/dev/gpu/token" } },
            expose: { auth: "iam", routes: [{ path: "/infer", methods: ["POST"], requestSchema: "schemas/notify-request.json" }] } },
        { name: "thumbs", runtime: "lambda", port: 8080, function: { code: "services/notifier" },
            data: [{ name: "jobs", type: "sqs" }, { name: "done", type: "sns" }], uses: [{ service: "gpu", data: "models", access: "read" }],
            triggers: [{ queue: { service: "thumbs", data: "jobs" } }, { schedule: "rate(1 hour)" }],
            expose: { auth: "iam", integration: "lambda", routes: [{ path: "/thumbs", methods: ["GET"], cacheTtlSeconds: 30 }] } },
        { name: "resize", runtime: "lambda", port: 8080, image: { context: "services/notifier" }, privateDnsName: "resize.platform.example", privateDnsZoneId: "Z0421337RESIZE0000" },
        { name: "search", runtime: "eks", port: 8080, image: "1.0.0", instanceTypes: ["t3.large"],
            uses: [{ service: "gpu", data: "runs", access: "read" }, { service: "thumbs", data: "jobs", access: "write" }], aws: [{ api: "sts", reason: "assumes the partner's read role" }],
            expose: { auth: "lambda", routes: [{ path: "/search", methods: ["GET"], cacheTtlSeconds: 60, cacheKeyQuery: ["q"] }] } },
    ], { availabilityZones: 2, vpcCidr: "10.0.0.0/16", notifications: { subscribers: [{ protocol: "email", endpoint: "platform-team@example.com" }] },
        eks: { adminRoleArns: [`arn:aws:iam::${ACCOUNT_ID}:role/platform-admin`] },
        frontDoor: {
            cognito: { userPoolArn: `arn:aws:cognito-idp:us-east-1:${ACCOUNT_ID}:userpool/us-east-1_Abc123XyZ` },
            jwt: { issuer: "https://login.partner.example/", audiences: ["privatelink-api"], jwks: testJwks() },
            domain: { name: "api.platform.example", certificateArn: `arn:aws:acm:us-east-1:${ACCOUNT_ID}:certificate/0f3c5a8e-2b1d-4c6e-9a7f-1e2d3c4b5a69` },
            usagePlans: [{ name: "partners", services: ["search"], partners: ["acme"] }],
            manageAccountRole: true,
        },
    });
}
