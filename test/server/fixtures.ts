/** Scenario texts the server tests share. Line numbers in the tests refer to these. */

export const CHECKOUT = `# Checkout flow
[metadata]
name = "Checkout"

[runtime]
duration_seconds = 90
vus = 50

[target]
base_url = "https://api.example.com"

[[requests]]
name = "login"
method = "POST"
path = "/login"
headers = { Content-Type = "application/json" }
body = '{"user": "a"}'
weight = 1

[[requests]]
name = "browse"
method = "GET"
path = "/items"
weight = 3

[schedule]
type = "ramp"
start_vus = 0
end_vus = 50
ramp_duration_seconds = 30
hold_duration_seconds = 60
`;

export const SEQUENCE = `[target]
base_url = "http://127.0.0.1:8080"

[runtime]
duration_seconds = 10

[[requests]]
name = "login"
path = "/login"

[[requests]]
name = "browse"
path = "/items"

[sequence]
type = "ordered"

[[sequence.steps]]
request = "login"

[[sequence.steps]]
request = "browse"
repeat = 3

[[sequence.steps]]
request = "login"
`;

/** A small seeded PRNG for the fuzz and reuse tests, so every failure can be replayed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
