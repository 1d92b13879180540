import { redTeamCatalog } from "./harness";
import { PROJECT } from "../helpers";
import { ACCOUNT_ID } from "../../tools/preview/cloud";

/** The red-team catalog with a front door: web behind IAM auth with one open route, orders behind a Cognito user pool authorizer, the notifier function integrated directly. */
export function frontDoorCatalog(): Record<string, unknown> {
    const base = redTeamCatalog();
    const platform = { ...(base[`${PROJECT}:platform`] as Record<string, unknown>), frontDoor: { stageName: "v1", throttling: { rateLimit: 50, burstLimit: 100 }, cognito: { userPoolArn: `arn:aws:cognito-idp:us-east-1:${ACCOUNT_ID}:userpool/us-east-1_RedTeam01` } } };
    const services = (base[`${PROJECT}:services`] as Record<string, unknown>[]).map((s) => {
        if (s.name === "web") {
            return { ...s, expose: { auth: "iam", routes: [{ path: "/shop", methods: ["GET", "POST"] }, { path: "/health", methods: ["GET"], auth: "none", reason: "uptime probes from outside AWS; answers 200 and no data" }] } };
        }
        if (s.name === "orders") {
            return { ...s, expose: { auth: "cognito", routes: [{ path: "/orders", methods: ["GET"] }] } };
        }
        if (s.name === "notifier") {
            return { ...s, expose: { auth: "iam", integration: "lambda", routes: [{ path: "/notify", methods: ["POST"] }] } };
        }
        return s;
    });
    return { ...base, [`${PROJECT}:platform`]: platform, [`${PROJECT}:services`]: services };
}
