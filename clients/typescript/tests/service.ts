// The real service the suite runs against, started by ./test.sh: a silo that serves the API itself, a gateway in
// front of it, and a second gateway that requires an API key.
import { randomUUID } from "node:crypto";

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: ./test.sh starts the service for this suite and sets it (see its TypeScript step).`);
  }
  return value;
}

/** The two shapes of the API: through the gateway, and served by a silo itself. */
export const shapes = [
  { name: "gateway", baseUrl: required("BOTSTATE_GATEWAY_URL") },
  { name: "silo", baseUrl: required("BOTSTATE_SILO_URL") },
] as const;

/** A gateway started with API_KEYS = apiKey. */
export const secured = { baseUrl: required("BOTSTATE_SECURED_URL"), apiKey: required("BOTSTATE_API_KEY") };

/** A user id no other test uses. */
export function newUserId(purpose: string): string {
  return `ts-${purpose}-${randomUUID()}`;
}
