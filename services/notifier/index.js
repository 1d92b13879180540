"use strict";

/**
 * notifier: accepts notification requests behind an Application Load
 * Balancer (Lambda target). No dependencies; the ALB event in, the ALB
 * response out.
 *
 *   GET  /health         200 {"status":"ok"}      (the NLB's health check, through the ALB)
 *   POST /notifications  202 {"id": ..., ...}   a valid notification
 *                        400                     invalid JSON or fields
 *                        415                     not application/json
 *   anything else        404 / 405
 */

const crypto = require("crypto");

const CHANNELS = ["email", "sms", "webhook"];
const MAX_BODY_BYTES = 16 * 1024;
const MAX_SUBJECT = 200;
const MAX_MESSAGE = 4000;

function respond(statusCode, body, extraHeaders) {
    return {
        statusCode,
        statusDescription: `${statusCode} ${STATUS_TEXT[statusCode] || ""}`.trim(),
        isBase64Encoded: false,
        headers: Object.assign(
            {
                "content-type": "application/json",
                "cache-control": "no-store",
                "x-content-type-options": "nosniff",
            },
            extraHeaders || {},
        ),
        body: JSON.stringify(body),
    };
}

const STATUS_TEXT = {
    200: "OK",
    202: "Accepted",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
};

/** Header lookup, case-insensitive (the ALB lowercases names, tests and other callers may not). */
function header(event, name) {
    const headers = event.headers || {};
    for (const key of Object.keys(headers)) {
        if (key.toLowerCase() === name) {
            return headers[key];
        }
    }
    return undefined;
}

function rawBody(event) {
    if (typeof event.body !== "string") {
        return "";
    }
    return event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body;
}

/** Returns a list of problems with a notification request, empty when it is valid. */
function validate(input) {
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
        return ["body must be a JSON object"];
    }
    const problems = [];
    const known = ["channel", "recipient", "subject", "message"];
    for (const key of Object.keys(input)) {
        if (!known.includes(key)) {
            problems.push(`${key}: unknown field`);
        }
    }
    if (!CHANNELS.includes(input.channel)) {
        problems.push(`channel: must be one of ${CHANNELS.join(", ")}`);
    }
    if (typeof input.recipient !== "string" || input.recipient.trim() === "") {
        problems.push("recipient: is required");
    } else if (input.channel === "email" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.recipient)) {
        problems.push("recipient: is not an email address");
    } else if (input.channel === "sms" && !/^\+[1-9][0-9]{6,14}$/.test(input.recipient)) {
        problems.push("recipient: is not an E.164 phone number (+ and 7-15 digits)");
    } else if (input.channel === "webhook" && !/^https:\/\/[^\s]+$/.test(input.recipient)) {
        problems.push("recipient: must be an https:// URL");
    }
    if (input.subject !== undefined && (typeof input.subject !== "string" || input.subject.length > MAX_SUBJECT)) {
        problems.push(`subject: must be a string of at most ${MAX_SUBJECT} characters`);
    }
    if (typeof input.message !== "string" || input.message.trim() === "") {
        problems.push("message: is required");
    } else if (input.message.length > MAX_MESSAGE) {
        problems.push(`message: is longer than ${MAX_MESSAGE} characters`);
    }
    return problems;
}

function acceptNotification(event) {
    const type = (header(event, "content-type") || "").split(";")[0].trim().toLowerCase();
    if (type !== "application/json") {
        return respond(415, { error: "send the notification as application/json" });
    }
    const text = rawBody(event);
    if (Buffer.byteLength(text, "utf8") > MAX_BODY_BYTES) {
        return respond(413, { error: `the body is larger than ${MAX_BODY_BYTES} bytes` });
    }
    let input;
    try {
        input = JSON.parse(text);
    } catch (e) {
        return respond(400, { error: "the body is not valid JSON" });
    }
    const problems = validate(input);
    if (problems.length > 0) {
        return respond(400, { error: "invalid notification", problems });
    }
    const id = crypto.randomUUID();
    // A real notifier would hand the message to a queue or provider here; the
    // log line (JSON, to the function's own log group) is the record of it.
    console.log(JSON.stringify({ event: "notification.accepted", id, channel: input.channel }));
    return respond(202, { id, status: "accepted", channel: input.channel }, { location: `/notifications/${id}` });
}

const ROUTES = {
    "/health": { GET: () => respond(200, { status: "ok" }) },
    "/notifications": { POST: acceptNotification },
};

/** ALB (Lambda target group) handler. */
async function handler(event) {
    const path = typeof event.path === "string" ? event.path.replace(/\/+$/, "") || "/" : "/";
    const method = typeof event.httpMethod === "string" ? event.httpMethod.toUpperCase() : "";
    const route = ROUTES[path];
    if (!route) {
        return respond(404, { error: `no route ${path}` });
    }
    const action = route[method];
    if (!action) {
        return respond(405, { error: `${method || "this method"} is not allowed on ${path}` }, { allow: Object.keys(route).join(", ") });
    }
    return action(event);
}

module.exports = { handler, validate };
